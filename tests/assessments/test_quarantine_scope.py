"""Quarantine planting (issue 16, item 7): a file's rows of a school outside the uploader's scope are refused,
never quarantined where that school's municipality would «fix» them into its results."""
import pytest

from assessments.models import ParticipantResult, QuarantinedRow, ResultBatch
from assessments.services import ImportRejected, results_import
from tests.factories import user_with_role
from rsoko.orgs.choices import Role

from .factories import export_rows, procedure_with_tasks, xlsx_bytes


@pytest.fixture
def procedure(world):
    return procedure_with_tasks()


def export_of(*schools_and_pupils):
    rows = []
    for school, pupils in schools_and_pupils:
        rows += export_rows(school.code, pupils)[0 if not rows else 1:]
    return xlsx_bytes(rows)


GOOD = ("1", ["1", "1", "2", "2"], "4", "м", "а")
BAD = ("2", ["1", "3", "2", "2"], "4", "ж", "а")  # 3 points for a 1-point task: a quarantine row


def test_rows_of_another_municipality_are_refused_not_quarantined(world, procedure):
    data = export_of((world.school_a1, [GOOD]), (world.school_b1, [GOOD, BAD]))
    report = results_import(actor=world.user("coordinator"), procedure=procedure, filename="e.xlsx", data=data,
                            mode="quarantine")
    assert (report.stored, report.quarantined, report.refused) == (1, 0, 2)
    assert not QuarantinedRow.objects.exists()
    assert set(ParticipantResult.objects.values_list("school", flat=True)) == {world.school_a1.id}
    assert f"школа «{world.school_b1.code}» вне вашей зоны ответственности" in report.error_messages[0]
    assert "Отклонено строк школ вне вашей зоны ответственности: 2" in report.summary()


def test_own_bad_rows_are_still_quarantined_beside_the_refused_ones(world, procedure):
    data = export_of((world.school_a1, [GOOD, BAD]), (world.school_b1, [BAD]))
    report = results_import(actor=world.user("coordinator"), procedure=procedure, filename="e.xlsx", data=data,
                            mode="quarantine")
    assert (report.stored, report.quarantined, report.refused) == (1, 1, 1)
    assert QuarantinedRow.objects.get().school == world.school_a1


def test_a_file_of_only_foreign_rows_is_refused_whole(world, procedure):
    with pytest.raises(ImportRejected) as refused:
        results_import(actor=world.user("coordinator"), procedure=procedure, filename="e.xlsx",
                       data=export_of((world.school_b1, [GOOD, BAD])), mode="quarantine")
    assert "вне вашей зоны ответственности" in refused.value.errors[0]
    assert not ResultBatch.objects.exists() and not QuarantinedRow.objects.exists()


def test_region_wide_uploads_still_quarantine_every_municipality(world, procedure, client):
    report = results_import(actor=world.user("centre"), procedure=procedure, filename="e.xlsx",
                            data=export_of((world.school_a1, [GOOD]), (world.school_b1, [BAD])))
    assert (report.quarantined, report.refused) == (1, 0)
    coordinator_b = user_with_role("coord_b", Role.MUNICIPAL_COORDINATOR, world.mouo_b)
    assert QuarantinedRow.objects.visible_to(coordinator_b).count() == 1
    client.force_login(coordinator_b, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/results/batches/{report.batch_id}/quarantine.xlsx").status_code == 200


def test_a_row_planted_before_the_fix_is_not_offered_to_the_other_municipality(world, procedure, client):
    """A batch of municipality A's coordinator that (in the past) quarantined a row of school B1."""
    batch = ResultBatch.objects.create(procedure=procedure, uploaded_by=world.user("coordinator"), filename="p.xlsx",
                                       format="export", mode="quarantine")
    QuarantinedRow.objects.create(batch=batch, procedure=procedure, school=world.school_b1, row_number=2,
                                  participant_code="7", cells={"логин школы": world.school_b1.code}, reasons=["…"])
    coordinator_b = user_with_role("coord_b", Role.MUNICIPAL_COORDINATOR, world.mouo_b)
    assert not QuarantinedRow.objects.visible_to(coordinator_b).exists()
    client.force_login(coordinator_b, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/results/batches/{batch.pk}/quarantine.xlsx").status_code == 404
    assert client.get("/results/quarantine/").context["paginator"].count == 0
    client.force_login(world.user("ministry"), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/results/batches/{batch.pk}/quarantine.xlsx").status_code == 200
