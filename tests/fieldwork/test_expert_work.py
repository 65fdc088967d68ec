"""An expert sees only the works assigned to it, by participant code, and enters scores on the web or in xlsx."""
import io

from openpyxl import load_workbook
import pytest

from assessments.fieldwork.models import Assignment

from .matrix_objects import objects


@pytest.fixture
def fw(world):
    return objects(world)


def test_the_expert_lists_only_its_own_works(fw, client_for):
    page = client_for("expert").get("/fieldwork/my/").content.decode()
    own_code = fw.own_assignment.work.participant_code
    assert own_code in page
    assert fw.foreign_assignment.work.participant_code not in page
    api = client_for("expert").get("/api/v1/fieldwork/assignments/").json()
    assert [row["participant_code"] for row in api["results"]] == [own_code]
    assert set(api["results"][0]) == {"id", "campaign", "participant_code", "order", "scores", "submitted_at"}


def test_the_check_form_does_not_reveal_the_schools_scores_or_name(fw, world, client_for):
    page = client_for("expert").get(f"/fieldwork/my/assignments/{fw.own_assignment.pk}/").content.decode()
    assert fw.own_assignment.work.participant_code in page
    assert world.school_a1.short_name not in page and world.school_b1.short_name not in page
    assert "Балл эксперта" in page


def test_the_check_form_shows_each_tasks_criteria_from_the_codifier(fw, client_for):
    fw.procedure.tasks.filter(position=2).update(
        skill="Умение выполнять арифметические действия с числами", block="Числа и величины", kes_codes="1.2",
        kt_codes="2.1", level="П")
    page = client_for("expert").get(f"/fieldwork/my/assignments/{fw.own_assignment.pk}/").content.decode()
    assert "Что проверяется (кодификатор)" in page
    assert "Умение выполнять арифметические действия с числами" in page and "Блок: Числа и величины" in page
    assert "КЭС 1.2 · КТ 2.1 · уровень: повышенный" in page
    # A task without wording says so instead of leaving the expert with a bare number.
    assert "Формулировки в кодификаторе нет" in page


def test_the_expert_cannot_read_campaign_results(fw, client_for):
    client = client_for("expert")
    assert client.get(f"/fieldwork/campaigns/{fw.campaign.pk}/").status_code == 403
    assert client.get(f"/api/v1/fieldwork/campaigns/{fw.campaign.pk}/results/").status_code == 403


def test_the_web_form_stores_scores_and_refuses_bad_ones(fw, client_for):
    client = client_for("expert")
    url = f"/fieldwork/my/assignments/{fw.own_assignment.pk}/"
    bad = client.post(url, {"task_0": "9", "task_1": "1", "task_2": "1", "task_3": "1", "task_4": "1"}, follow=True)
    assert "больше максимального балла 4" in bad.content.decode()
    client.post(url, {f"task_{i}": "2" for i in range(5)})
    fw.own_assignment.refresh_from_db()
    assert fw.own_assignment.scores == [2, 2, 2, 2, 2]


def upload(client, campaign, data):
    file = io.BytesIO(data)
    file.name = "scores.xlsx"
    return client.post(f"/fieldwork/my/campaigns/{campaign.pk}/upload/", {"file": file}, follow=True)


def test_the_xlsx_template_round_trips(fw, client_for):
    client = client_for("expert")
    book = load_workbook(io.BytesIO(b"".join(client.get(f"/fieldwork/my/campaigns/{fw.campaign.pk}/template.xlsx").streaming_content)))
    sheet = book.active
    assert [c.value for c in sheet[1]][:3] == ["№ назначения", "Код участника", "Задание 1"]
    assert sheet.max_row == 2  # one own work, nothing else
    for column in range(3, 8):
        sheet.cell(row=2, column=column, value=1)
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, fw.campaign, buffer.getvalue())
    assert "Загружены баллы за работ: 1" in response.content.decode()
    fw.own_assignment.refresh_from_db()
    assert fw.own_assignment.scores == [1, 1, 1, 1, 1]


def test_an_xlsx_row_for_someone_elses_work_is_refused_with_its_row(fw, client_for):
    from assessments.fieldwork.exports import scores_template_table
    from rsoko.exports import xlsx_chunks

    table = scores_template_table(fw.campaign, [str(i) for i in range(1, 6)],
                                  [fw.own_assignment, fw.foreign_assignment])
    book = load_workbook(io.BytesIO(b"".join(xlsx_chunks(table))))
    for row in (2, 3):
        for column in range(3, 8):
            book.active.cell(row=row, column=column, value=1)
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client_for("expert"), fw.campaign, buffer.getvalue())
    assert "Строка 3, столбец «№ назначения»" in response.content.decode()
    assert not Assignment.objects.filter(scores__isnull=False).exists()  # the valid row is not written either


def test_exports_with_participant_codes_or_results_are_logged(fw, client_for):
    from rsoko.audit.models import AuditEntry

    client_for("expert").get(f"/fieldwork/my/campaigns/{fw.campaign.pk}/template.xlsx")
    client_for("centre").get(f"/fieldwork/campaigns/{fw.campaign.pk}/export.xlsx")
    sources = set(AuditEntry.objects.filter(action="export", model="fieldwork.campaign").values_list("source", flat=True))
    assert sources == {"fieldwork.expert_template", "fieldwork.campaign_export"}
