"""Catalog pages: list filters, card, create/edit, status flow, participants, tasks, codifier upload, schedule."""
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from assessments.models import Procedure, ProcedureKind, ProcedureSchool, Scale, Subject
from rsoko.audit.models import AuditEntry

from .factories import CODIFIER_HEADER, ProcedureFactory, add_tasks, kind, subject, xlsx_bytes


@pytest.fixture
def procedure(world):
    procedure = ProcedureFactory(date_start=date(2021, 4, 9), date_end=date(2021, 4, 9))
    add_tasks(procedure, {"1": 1, "2": 2})
    ProcedureSchool.objects.create(procedure=procedure, school=world.school_a1)
    ProcedureSchool.objects.create(procedure=procedure, school=world.school_b1, control="observers")
    return procedure


def text(response) -> str:
    return response.content.decode()


def test_list_filters_by_kind_grade_and_search(procedure, client_for):
    ProcedureFactory(kind=kind("ОГЭ"), grade=9, year=2021, code="OGE-2021-MA-9")
    client = client_for("expert")
    page = text(client.get("/procedures/", {"kind": kind("ОГЭ").pk}))
    assert "OGE-2021-MA-9" in page and "VPR-2021-MA-4" not in page
    page = text(client.get("/procedures/", {"grade": 4, "q": "Матем"}))
    assert "VPR-2021-MA-4" in page and "OGE-2021-MA-9" not in page
    page = text(client.get("/procedures/", {"level": "regional"}))
    assert "Процедур не найдено" in page


def test_card_shows_spec_scale_offer_and_scoped_schools(procedure, client_for):
    page = text(client_for("coordinator").get(f"/procedures/{procedure.code}/"))
    assert "Спецификация заданий" in page and "Есть эталонная шкала ВПР-2021" in page
    assert "Альфинский муниципальный район" in page and "Бетинский" not in page  # out of the coordinator's scope
    assert "Применить эталонную шкалу" not in page  # a coordinator may not manage the catalog
    assert "Применить эталонную шкалу" in text(client_for("centre").get(f"/procedures/{procedure.code}/"))


def test_create_generates_the_code_and_is_audited(world, client_for):
    client = client_for("ministry")
    response = client.post("/procedures/new/", {
        "kind": kind().pk, "year": 2021, "subject": subject("RU").pk, "grade": 4, "variants": "1, 2",
        "date_start": "2021-04-07", "date_end": "2021-04-07",
    })
    assert response.status_code == 302 and response["Location"] == "/procedures/VPR-2021-RU-4/"
    procedure = Procedure.objects.get(code="VPR-2021-RU-4")
    assert procedure.variants == ["1", "2"]
    assert AuditEntry.objects.filter(model="assessments.procedure", action="create", object_id=str(procedure.pk)).exists()


def test_create_refuses_a_taken_code_and_reversed_dates(procedure, client_for):
    client = client_for("ministry")
    response = client.post("/procedures/new/", {"kind": kind().pk, "year": 2021, "subject": subject().pk,
                                                "code": procedure.code})
    assert "уже занят" in text(response)
    response = client.post("/procedures/new/", {"kind": kind().pk, "year": 2021, "subject": subject().pk,
                                                "date_start": "2021-04-09", "date_end": "2021-04-01"})
    assert "Дата окончания раньше даты начала." in text(response)
    assert Procedure.objects.count() == 1


def test_status_moves_one_step_at_a_time(procedure, client_for):
    client = client_for("centre")
    client.post(f"/procedures/{procedure.code}/status/", {"status": "analysed"})
    procedure.refresh_from_db()
    assert procedure.status == "planned"
    client.post(f"/procedures/{procedure.code}/status/", {"status": "conducted"})
    procedure.refresh_from_db()
    assert procedure.status == "conducted"


def test_bulk_add_by_municipality_codes_and_control_marking(procedure, world, client_for):
    client = client_for("ministry")
    url = f"/procedures/{procedure.code}/schools/"
    response = client.post(url, {"form": "bulk", "mode": "codes", "codes": "edu990002, sch000404"}, follow=True)
    page = text(response)
    assert "Добавлено школ: 1" in page and "sch000404" in page
    assert procedure.participations.filter(school=world.school_a2).exists()
    client.post(url, {"form": "selected", "action": "control", "control": "independent",
                      "schools": [world.school_a1.pk, world.school_a2.pk]})
    assert procedure.participations.exclude(control="").count() == 3
    client.post(url, {"form": "selected", "action": "remove", "schools": [world.school_a2.pk]})
    assert procedure.participations.count() == 2
    response = client.post(url, {"form": "bulk", "mode": "municipality"})
    assert "Выберите муниципалитет." in text(response)


def test_tasks_formset_replaces_the_specification(procedure, client_for):
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "2", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
            "form-0-label": "1", "form-0-max_score": "2", "form-0-level": "Б",
            "form-1-label": "2", "form-1-max_score": "2", "form-1-DELETE": "on",
            "form-2-label": "3", "form-2-max_score": "3", "form-2-level": "П"}
    response = client_for("ministry").post(f"/procedures/{procedure.code}/tasks/", data)
    assert response.status_code == 302
    assert list(procedure.tasks.values_list("position", "label", "max_score")) == [(1, "1", 2), (2, "3", 3)]
    procedure.refresh_from_db()
    assert procedure.max_score == 5
    data["form-1-DELETE"], data["form-2-label"] = "", "1"
    response = client_for("ministry").post(f"/procedures/{procedure.code}/tasks/", data)
    assert "Номера в КИМ повторяются: 1." in text(response)


def test_codifier_upload_on_the_card(procedure, client_for):
    client = client_for("centre")
    good = xlsx_bytes([CODIFIER_HEADER, ["1", 1, "", "", "Б", "1", "1", 1], ["2", 2, "", "", "Б", "1", "1", 1],
                       ["3", 3, "", "", "П", "1", "1", 2]])
    response = client.post(f"/procedures/{procedure.code}/codifier/",
                           {"file": SimpleUploadedFile("k.xlsx", good)}, follow=True)
    assert "Кодификатор загружен: заданий 3, максимальный балл 4." in text(response)
    bad = xlsx_bytes([CODIFIER_HEADER, ["1", 1, "", "", "Б", "1", "1", "два"]])
    response = client.post(f"/procedures/{procedure.code}/codifier/", {"file": SimpleUploadedFile("k.xlsx", bad)},
                           follow=True)
    assert "Строка 2, столбец H" in text(response) and procedure.tasks.count() == 3


def test_scale_form_validates_and_reference_applies(procedure, client_for):
    client = client_for("ministry")
    response = client.post(f"/procedures/{procedure.code}/scale/", {"first_3": "2", "first_4": "2", "first_5": "3",
                                                                    "conditions": "3 | 9 | 1"})
    page = text(response)
    assert "Границы должны возрастать" in page and "в спецификации нет заданий 9" in page
    procedure.max_score = 20
    procedure.save()
    client.post(f"/procedures/{procedure.code}/scale/reference/")
    procedure.refresh_from_db()
    assert procedure.scale.boundaries == {"3": 6, "4": 10, "5": 15}


def test_schedule_groups_by_month_and_filters_by_municipality(procedure, world, client_for):
    other = ProcedureFactory(kind=kind("МПР"), grade=5, code="MPR-2021-MA-5", date_start=date(2021, 3, 3),
                             organizer=world.mouo_b)
    ProcedureSchool.objects.create(procedure=other, school=world.school_b1)
    ProcedureFactory(kind=kind("РПР"), grade=7, code="RPR-2021-MA-7")  # no date yet
    client = client_for("ministry")
    page = text(client.get("/procedures/schedule/", {"year": 2021}))
    assert page.index("Март 2021") < page.index("Апрель 2021") and "Даты не назначены" in page
    page = text(client.get("/procedures/schedule/", {"year": 2021, "municipality": world.mun_a.pk}))
    assert "Апрель 2021" in page and "Март 2021" not in page
    page = text(client.get("/procedures/schedule/", {"year": 2021, "level": "municipal"}))
    assert "Март 2021" in page and "Апрель 2021" not in page
    assert "На этот учебный год процедур не запланировано" in text(client.get("/procedures/schedule/", {"year": 2030}))


def test_kind_list_shows_levels_and_gradings(client_for):
    page = text(client_for("school_head").get("/procedures/kinds/"))
    assert "Зачёт / незачёт" in page and "Муниципальный" in page and ProcedureKind.objects.count() == 16
    assert Subject.objects.filter(code="MA").exists()


def test_scale_form_shows_only_the_fields_of_the_grading(world, client_for):
    ege = ProcedureFactory(kind=kind("ЕГЭ"), grade=11, code="EGE-2021-MA-11", max_score=2)
    client = client_for("centre")
    page = text(client.get(f"/procedures/{ege.code}/scale/"))
    assert "Перевод в тестовые баллы" in page and "«3» с балла" not in page and "Порог зачёта" not in page
    response = client.post(f"/procedures/{ege.code}/scale/", {"test_scores": "0, 40, 100", "minimum_test_score": "27"})
    assert response.status_code == 302
    ege.refresh_from_db()
    assert (ege.scale.test_scores, ege.scale.minimum_test_score, ege.scale.boundaries) == ([0, 40, 100], 27, {})


def test_participants_page_filters_and_hides_management_from_readers(procedure, world, client_for):
    url = f"/procedures/{procedure.code}/schools/"
    page = text(client_for("ministry").get(url, {"controlled": "1"}))
    assert "sch990003" in page and "sch990001" not in page and "Добавить школы" in page
    page = text(client_for("methodologist").get(url, {"municipality": world.mun_a.pk}))
    assert "sch990001" in page and "sch990003" not in page and "Добавить школы" not in page
    assert client_for("methodologist").post(url, {"form": "bulk", "mode": "all"}).status_code == 403


def test_card_warns_when_the_scale_no_longer_fits_the_specification(procedure, client_for):
    Scale.objects.create(procedure=procedure, boundaries={"3": 1, "4": 2, "5": 3},
                         conditions=[{"marks": ["3"], "tasks": ["7"], "min_points": 1}])
    page = text(client_for("expert").get(f"/procedures/{procedure.code}/"))
    assert "Шкала не согласуется со спецификацией" in page and "в спецификации нет заданий 7" in page
