"""Quarantine: good rows stored, bad rows kept with reasons; the fixed download merges back."""
import io

from openpyxl import load_workbook
import pytest

from assessments.importing import QUARANTINE_COLUMN
from assessments.models import ParticipantResult, QuarantinedRow, ResultVersion
from assessments.services import results_import

from .factories import export_rows, procedure_with_tasks, xlsx_bytes


def downloaded_rows(response) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def procedure(world):
    return procedure_with_tasks()


def first_upload(world, procedure):
    a1, a2 = world.school_a1.code, world.school_a2.code
    rows = export_rows(a1, [("1", ["1", "1", "2", "2"], "4", "м", "а"), ("2", ["1", "3", "2", "2"], "4", "ж", "а"),
                            ("3", None, "", "", "")])
    rows += export_rows(a2, [("1", ["0", "0", "0", "0"], "3", "м", "б")])[1:]
    rows += export_rows("sch777777", [("9", ["1", "1", "1", "1"], "5", "ж", "в")])[1:]
    return results_import(actor=world.user("coordinator"), procedure=procedure, filename="export.xlsx",
                          data=xlsx_bytes(rows))


def test_export_defaults_to_quarantine_and_keeps_bad_rows_with_reasons(world, procedure):
    report = first_upload(world, procedure)
    assert (report.mode, report.rows, report.stored, report.absent, report.quarantined) == ("quarantine", 5, 3, 1, 2)
    reasons = {r.participant_code: r.reasons for r in QuarantinedRow.objects.all()}
    assert reasons["2"] == ["Строка 3, столбец «балл за 2»: балл «3» больше максимального за задание № 2 (1)."]
    assert "не найдена в реестре" in reasons["9"][0]
    assert QuarantinedRow.objects.get(participant_code="2").cells["код обучающегося"] == "2"


def test_fixed_download_merges_into_the_schools_results(world, procedure, client_for):
    report = first_upload(world, procedure)
    client = client_for("coordinator")
    response = client.get(f"/results/batches/{report.batch_id}/quarantine.xlsx")
    assert response.status_code == 200
    rows = downloaded_rows(response)
    header = rows[0]
    assert header[-1] == QUARANTINE_COLUMN and len(rows) == 3
    assert header[:5] == ["логин школы", "регион", "номер обучающегося", "код обучающегося",
                          "отметка за предыдущую четверть/триместр"]  # the file's own order
    for row in rows[1:]:  # the coordinator fixes both rows
        if row[header.index("код обучающегося")] == "2":
            row[header.index("балл за 2")] = "1"
        else:
            row[header.index("логин школы")] = world.school_a2.code
    fixed = results_import(actor=world.user("coordinator"), procedure=procedure, filename="fixed.xlsx",
                           data=xlsx_bytes(rows))
    assert fixed.fixes and fixed.quarantined == 0
    active = ParticipantResult.objects.active().filter(procedure=procedure)
    assert sorted(active.filter(school=world.school_a1).values_list("participant_code", flat=True)) == ["1", "2", "3"]
    assert sorted(active.filter(school=world.school_a2).values_list("participant_code", flat=True)) == ["1", "9"]
    version = ResultVersion.objects.get(school=world.school_a1, is_active=True)
    assert version.number == 2 and version.changes["mode"] == "merge"
    assert (version.changes["added_codes"], version.changes["removed_codes"], version.changes["changed_codes"]) == (["2"], [], [])
    assert not QuarantinedRow.objects.filter(resolved=False).exists()


def test_full_reupload_closes_the_schools_old_quarantine(world, procedure):
    first_upload(world, procedure)
    rows = export_rows(world.school_a1.code, [("1", ["1", "1", "2", "2"], "4", "м", "а")])
    results_import(actor=None, procedure=procedure, filename="again.xlsx", data=xlsx_bytes(rows))
    open_codes = set(QuarantinedRow.objects.filter(resolved=False).values_list("participant_code", flat=True))
    assert open_codes == {"9"}  # the unknown school's row still waits for its fix
    assert list(ParticipantResult.objects.active().filter(school=world.school_a1)
                .values_list("participant_code", flat=True)) == ["1"]


def test_quarantined_rows_stay_out_of_results(world, procedure):
    first_upload(world, procedure)
    assert not ParticipantResult.objects.filter(participant_code__in=["2", "9"]).exists()


def test_quarantine_pages_show_rows_in_scope(world, procedure, client_for):
    report = first_upload(world, procedure)
    page = client_for("coordinator").get("/results/quarantine/").content.decode()
    assert "больше максимального" in page
    detail = client_for("ministry").get(f"/results/batches/{report.batch_id}/").content.decode()
    assert "ждущие исправления: 2" in detail
    assert client_for("centre").get(f"/results/batches/{report.batch_id}/quarantine.xlsx").status_code == 200


def test_coordinator_downloads_quarantine_of_own_schools_from_anothers_upload(world, procedure, client_for):
    rows = export_rows(world.school_a1.code, [("5", ["1", "9", "2", "2"], "4", "м", "а")])
    rows += export_rows(world.school_b1.code, [("6", ["1", "9", "2", "2"], "4", "м", "а")])[1:]
    report = results_import(actor=world.user("centre"), procedure=procedure, filename="e.xlsx", data=xlsx_bytes(rows))
    response = client_for("coordinator").get(f"/results/batches/{report.batch_id}/quarantine.xlsx")
    assert response.status_code == 200
    codes = [row[3] for row in downloaded_rows(response)[1:]]
    assert codes == ["5"]  # the other municipality's row is not handed out


def test_a_formula_like_cell_is_neutralised_in_the_download_and_restored_on_reupload(world, procedure, client_for):
    """The download goes through the portal's formula rule; the fixed file gives back the original value."""
    rows = export_rows(world.school_a1.code, [("7", ["1", "3", "2", "2"], "4", "м", "+4а")])  # «3» is over the max
    report = results_import(actor=world.user("coordinator"), procedure=procedure, filename="e.xlsx",
                            data=xlsx_bytes(rows))
    assert QuarantinedRow.objects.get(participant_code="7").cells["класс"] == "+4а"
    direct = export_rows(world.school_a2.code, [("8", ["1", "1", "2", "2"], "4", "м", "+4а")])
    results_import(actor=world.user("coordinator"), procedure=procedure, filename="d.xlsx", data=xlsx_bytes(direct))
    expected = ParticipantResult.objects.active().get(participant_code="8").class_name  # as a plain upload stores it

    downloaded = downloaded_rows(client_for("coordinator").get(f"/results/batches/{report.batch_id}/quarantine.xlsx"))
    header = downloaded[0]
    assert downloaded[1][header.index("класс")] == "'+4а"  # opening the file cannot run it
    downloaded[1][header.index("балл за 2")] = "1"
    fixed = results_import(actor=world.user("coordinator"), procedure=procedure, filename="fixed.xlsx",
                           data=xlsx_bytes(downloaded))
    assert fixed.fixes and fixed.quarantined == 0
    assert ParticipantResult.objects.active().get(participant_code="7").class_name == expected
    assert not expected.startswith("'")
