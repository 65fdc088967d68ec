"""The three ways in (web page, API, command line) run the same import, with the uploader's scope."""
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
import pytest

from assessments.choices import ProcedureStatus
from assessments.models import ParticipantResult, QuarantinedRow, ResultBatch
from rsoko.jobs.models import Job

from .factories import procedure_with_tasks, template_rows, xlsx_bytes


@pytest.fixture
def procedure(world):
    return procedure_with_tasks()


def mixed_file(world):
    """A coordinator of municipality A sends a row of municipality B's school."""
    return xlsx_bytes(template_rows([(world.school_a1.code, "1", [1, 1, 2, 2]), (world.school_b1.code, "2", [1, 1, 2, 2])]))


def own_file(world):
    return xlsx_bytes(template_rows([(world.school_a1.code, "1", [1, 1, 2, 2]), (world.school_a1.code, "2", None)]))


def test_web_upload_runs_a_job_and_shows_the_result(world, procedure, client_for, django_capture_on_commit_callbacks):
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/results/upload/", {"procedure": procedure.pk, "file": SimpleUploadedFile("r.xlsx", own_file(world)),
                                                   "mode": "strict"})
    job = Job.objects.get(kind="results_import")
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done" and job.result["stored"] == 2 and job.result["absent"] == 1
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "сохранено участников" in page and f"/results/batches/{job.result['batch_id']}/" in page
    procedure.refresh_from_db()
    assert procedure.status == ProcedureStatus.LOADED


def test_the_upload_page_explains_the_modes_in_a_help_text_tied_to_the_select(world, client_for):
    """Short options a select shows whole; the meaning of each is in the help text a screen reader reads with it."""
    page = client_for("coordinator").get("/results/upload/").content.decode()
    select = re.search(r'<select name="mode"[^>]*>(.*?)</select>', page, re.S)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1)) == ["Автоматически", "Строгий", "Карантин"]
    described_by = re.search(r'aria-describedby="([^"]+)"', select.group(0)).group(1)
    help_text = re.search(rf'<div class="help" id="{described_by}">([^<]*)</div>', page).group(1)
    assert "Автоматически — карантин для региональной выгрузки ФИС ОКО, строгий для остальных файлов." in help_text
    assert "Строгий — при любой ошибке ничего не сохраняется." in help_text
    assert "Карантин — верные строки сохраняются, ошибочные — в карантин." in help_text


def test_web_upload_of_another_municipality_fails_naming_the_row(world, procedure, client_for,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post("/results/upload/", {"procedure": procedure.pk, "mode": "strict",
                                                            "file": SimpleUploadedFile("r.xlsx", mixed_file(world))})
    job = Job.objects.get(kind="results_import")
    assert job.status == "failed"
    assert f"Строка 3, столбец «Код ОО»: школа «{world.school_b1.code}» вне вашей зоны ответственности" in job.error
    assert not ParticipantResult.objects.exists() and not ResultBatch.objects.exists()
    page = client_for("coordinator").get(f"/jobs/{job.pk}/").content.decode()
    assert "вне вашей зоны ответственности" in page


def test_api_upload_returns_a_job_to_follow(world, procedure, client_for, django_capture_on_commit_callbacks):
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/results/uploads/", {"procedure": procedure.code, "mode": "strict",
                                                            "file": SimpleUploadedFile("r.xlsx", mixed_file(world))})
    assert response.status_code == 202
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "failed" and world.school_b1.code in status["error"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/results/uploads/", {"procedure": procedure.code, "mode": "quarantine",
                                                            "file": SimpleUploadedFile("r.xlsx", mixed_file(world))})
    status = client.get(response.json()["status_url"]).json()
    # the other municipality's row is refused even in quarantine mode: it must not land in B's quarantine
    assert status["status"] == "done" and status["result"]["stored"] == 1 and status["result"]["quarantined"] == 0
    assert status["result"]["refused"] == 1 and "Отклонено строк школ вне вашей зоны ответственности: 1" in (
        status["result"]["summary"])
    assert not QuarantinedRow.objects.exists()
    assert client.get("/api/v1/results/uploads/").json()["count"] == 1


def test_api_refuses_a_procedure_out_of_catalog(world, client_for):
    response = client_for("centre").post("/api/v1/results/uploads/", {"procedure": "NOPE", "file": SimpleUploadedFile("r.xlsx", b"x")})
    assert response.status_code == 400 and "procedure" in response.json()


def test_cli_prints_a_json_summary(world, procedure, tmp_path, capsys):
    path = tmp_path / "r.xlsx"
    path.write_bytes(own_file(world))
    call_command("import_results", str(path), "--procedure", procedure.code, "--json")
    summary = json.loads(capsys.readouterr().out)
    assert {k: summary[k] for k in ("rows", "stored", "absent", "quarantined", "warnings", "errors")} == {
        "rows": 2, "stored": 2, "absent": 1, "quarantined": 0, "warnings": 0, "errors": 0}


def test_cli_as_coordinator_is_held_to_the_municipality(world, procedure, tmp_path, capsys):
    path = tmp_path / "r.xlsx"
    path.write_bytes(mixed_file(world))
    with pytest.raises(CommandError, match="вне вашей зоны ответственности"):
        call_command("import_results", str(path), "--procedure", procedure.code, "--as", "coordinator", "--json")
    assert json.loads(capsys.readouterr().out)["errors"] == 1
    assert not ParticipantResult.objects.exists()
    call_command("import_results", str(path), "--procedure", procedure.code, "--as", "coordinator",
                 "--mode", "quarantine", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["stored"], summary["quarantined"], summary["refused"]) == (1, 0, 1)
    call_command("import_results", str(path), "--procedure", procedure.code, "--as", "centre", "--json")
    assert json.loads(capsys.readouterr().out)["stored"] == 2  # region-wide roles load every school


def test_cli_refuses_unknown_procedure_and_user(world, procedure, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(own_file(world))
    with pytest.raises(CommandError, match="не найдена"):
        call_command("import_results", str(path), "--procedure", "NOPE")
    with pytest.raises(CommandError, match="не найден"):
        call_command("import_results", str(path), "--procedure", procedure.code, "--as", "nobody")


def test_generic_job_page_still_renders_other_jobs(world, client_for):
    job = Job.objects.create(kind="registry_import", title="Реестр", handler="x.y", created_by=world.user("ministry"),
                             status="done", result={"organizations_created": ["a", "b"], "summary": "ok"})
    page = client_for("ministry").get(f"/jobs/{job.pk}/").content.decode()
    assert "Создано организаций" in page


def test_row_messages_of_a_file_are_not_shown_to_a_school_head(world, procedure, client_for):
    from assessments.services import results_import

    rows = template_rows([(world.school_a1.code, "1", [1, 1, 2, 2]), (world.school_b1.code, "77", [1, 9, 2, 2])])
    report = results_import(actor=world.user("centre"), procedure=procedure, filename="r.xlsx", data=xlsx_bytes(rows),
                            mode="quarantine")
    head_page = client_for("school_head").get(f"/results/batches/{report.batch_id}/").content.decode()
    assert "Строка 3" not in head_page and "видны тому, кто его загрузил" in head_page
    assert client_for("school_head").get(f"/api/v1/results/uploads/{report.batch_id}/").json()["errors"] == []
    assert "Строка 3" in client_for("ministry").get(f"/results/batches/{report.batch_id}/").content.decode()


def test_a_batch_loaded_without_an_uploader_is_answered_as_the_schema_documents(world, procedure, client_for):
    # Found by the fuzz suite: a batch from a command-line or fixture load has no uploader; the API said null
    # where the schema promised a string.
    from tests.openapi_contract import assert_conforms

    batch = ResultBatch.objects.create(procedure=procedure, filename="t.xlsx", format="protocol", mode="strict")
    response = client_for("centre").get(f"/api/v1/results/uploads/{batch.pk}/")
    assert response.json()["uploaded_by"] is None
    assert_conforms(response, "/api/v1/results/uploads/{id}/")


def test_uploads_filter_by_file_format_and_refuse_an_anonymous_caller(world, procedure, client, client_for):
    # Found by the fuzz suite: DRF read ?format= as the renderer to use, so the documented filter answered 404
    # to everyone, the anonymous caller included, before authentication.
    protocol = ResultBatch.objects.create(procedure=procedure, filename="p.xlsx", format="protocol", mode="strict")
    ResultBatch.objects.create(procedure=procedure, filename="t.xlsx", format="template", mode="strict")
    response = client_for("centre").get("/api/v1/results/uploads/?format=protocol")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [protocol.pk]
    client.logout()
    assert client.get("/api/v1/results/uploads/?format=protocol").status_code == 401



def test_every_id_a_field_is_described_by_exists_when_the_form_has_errors(world, client_for):
    """Django ties an invalid field to «<id>_error»: the error text must carry that id, or a screen reader
    announces the field as invalid without saying why."""
    page = client_for("coordinator").post("/results/upload/", {"mode": "strict"}).content.decode()
    described = [i for value in re.findall(r'aria-describedby="([^"]+)"', page) for i in value.split()]
    assert any(i.endswith("_error") for i in described)
    for element_id in described:
        assert f'id="{element_id}"' in page, element_id
