"""Uploads are limited at the door (size before reading, number per user) and refused files are not kept."""
from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from rsoko.jobs.models import Job
from tests.assessments.factories import procedure_with_tasks, template_rows, xlsx_bytes

MB = 1024 * 1024


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body of a refused upload was read")

    readline = read


@pytest.fixture
def procedure(world):
    return procedure_with_tasks()


def small_file(world):
    return SimpleUploadedFile("r.xlsx", xlsx_bytes(template_rows([(world.school_a1.code, "1", [1, 1, 2, 2])])))


def stored_job_files(settings):
    folder = settings.MEDIA_ROOT / "jobs"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.mark.parametrize("url", ["/results/upload/", "/api/v1/results/uploads/"])
def test_a_120_mb_upload_is_refused_from_its_length_before_its_body_is_read(world, procedure, client_for, url, settings):
    response = client_for("coordinator").post(
        url, {"procedure": procedure.code, "file": small_file(world)},
        CONTENT_LENGTH=str(120 * MB), **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    assert "Файл больше 50 МБ и не принят" in response.content.decode()
    assert not Job.objects.exists() and not stored_job_files(settings)


@pytest.mark.parametrize("url", ["/results/upload/", "/api/v1/results/uploads/"])
def test_a_file_over_the_limit_is_stopped_as_it_streams_and_nothing_is_stored(world, procedure, client_for, url,
                                                                              settings):
    settings.UPLOAD_MAX_MB = settings.KIM_FILE_MAX_MB = 1
    big = SimpleUploadedFile("r.csv", b"x" * (MB + MB // 2))  # under the declared-length allowance, over the file limit
    response = client_for("coordinator").post(url, {"procedure": procedure.code, "mode": "strict", "file": big})
    assert response.status_code == 413
    assert "Файл больше 1 МБ" in response.content.decode()
    assert not Job.objects.exists() and not stored_job_files(settings)


def test_the_api_answers_a_too_large_upload_with_the_documented_error_object(world, procedure, client_for):
    response = client_for("coordinator").post("/api/v1/results/uploads/", {"procedure": procedure.code},
                                              CONTENT_LENGTH=str(120 * MB), **{"wsgi.input": UnreadableBody()})
    assert response["Content-Type"] == "application/json" and response.json()["detail"].startswith("Файл больше")


def test_uploads_are_limited_per_user_on_pages_and_api_together(world, procedure, client_for, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.UPLOADS_PER_HOUR = 2
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/results/upload/", {"procedure": procedure.pk, "mode": "strict",
                                                "file": small_file(world)}).status_code == 302
        assert client.post("/api/v1/results/uploads/", {"procedure": procedure.code, "mode": "strict",
                                                        "file": small_file(world)}).status_code == 202
    page = client.post("/results/upload/", {"procedure": procedure.pk, "mode": "strict", "file": small_file(world)})
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "Слишком много загрузок: не больше 2 файлов в час" in page.content.decode()
    api = client.post("/api/v1/results/uploads/", {"procedure": procedure.code, "file": small_file(world)})
    assert api.status_code == 429 and api.json()["detail"].startswith("Слишком много загрузок")
    assert Job.objects.filter(kind="results_import").count() == 2
    # Another user has a counter of their own.
    other = client_for("centre").post("/api/v1/results/uploads/", {"procedure": procedure.code, "mode": "strict",
                                                                   "file": small_file(world)})
    assert other.status_code == 202


def test_a_file_the_import_refuses_is_deleted_with_the_job_kept(world, procedure, client_for, settings,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post("/results/upload/", {
            "procedure": procedure.pk, "mode": "strict", "file": SimpleUploadedFile("r.xlsx", b"not a workbook")})
    job = Job.objects.get(kind="results_import")
    assert job.status == "failed" and job.error
    assert not job.input_file and not stored_job_files(settings)
