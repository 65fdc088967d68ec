"""A job passes through the real broker (Redis) and a real Celery worker, as in production."""
import time

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
import pytest

from rsoko.celery import app as celery_app
from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import job_create
from rsoko.orgs.models import Organization
from tests.conftest import require_services

REGISTRY_CSV = "Код;Вид;Краткое наименование;Код муниципалитета;Муниципалитет\nsch990777;ОО;Школа из очереди;reg99_m900;Очередной район\n"


def broker_or_skip():
    if settings.CELERY_BROKER_URL:
        return
    if require_services():
        pytest.fail("RSOKO_REQUIRE_SERVICES=1 but no REDIS_URL/CELERY_BROKER_URL is configured")
    pytest.skip("no broker configured (set REDIS_URL); .ci/run runs this test against Redis")


def wait_until_finished(job_id: int, seconds: float = 30) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.is_finished:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish in {seconds} s: {job.status}, {job.stage}")


@pytest.mark.live_services
@pytest.mark.django_db(transaction=True)
def test_a_registry_upload_is_processed_by_a_real_worker_through_redis(world):
    broker_or_skip()
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
        with transaction.atomic():
            job = job_create(
                kind="registry_import", title="Очередь", handler="rsoko.orgs.services.registry_import_job",
                user=world.user("ministry"), params={"filename": "registry.csv"},
                input_file=SimpleUploadedFile("registry.csv", REGISTRY_CSV.encode("utf-8")),
            )
        finished = wait_until_finished(job.pk)
    assert finished.status == JobStatus.DONE, finished.error
    assert finished.attempts == 1
    assert finished.result["organizations_created"] == ["sch990777"]
    assert Organization.objects.get(code="sch990777").municipality.name == "Очередной район"
