"""Jobs under faults: the broker down at submit time, the database lost mid-job, a worker lost after the commit.

The drills in bench/drills/faults.py do the same against real services; these pin the behaviour in the suite.
"""
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
import pytest

from assessments.models import ResultBatch
from rsoko.jobs import services, tasks
from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import WAITING_FOR_BROKER_STAGE, job_claim, job_create, job_enqueue_waiting, job_run
from tests.assessments.factories import procedure_with_tasks, template_rows, xlsx_bytes


class Broker:
    """Stands in for run_job.apply_async: refuses while down, records what it accepted and on which queue."""

    def __init__(self, down: bool):
        self.down, self.accepted, self.queues = down, [], []

    def apply_async(self, args, queue=None):
        if self.down:
            raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.accepted.append(args[0])
        self.queues.append(queue)


@pytest.fixture
def broker(monkeypatch):
    broker = Broker(down=True)
    monkeypatch.setattr(tasks.run_job, "apply_async", broker.apply_async)
    return broker


def results_file(world) -> bytes:
    return xlsx_bytes(template_rows([(world.school_a1.code, "1", [1, 1, 2, 2]), (world.school_a1.code, "2", None)]))


def test_an_upload_while_the_broker_is_down_is_accepted_and_waits_as_queued(world, client_for, broker,
                                                                            django_capture_on_commit_callbacks):
    procedure = procedure_with_tasks()
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/results/uploads/", {"procedure": procedure.code, "mode": "strict",
                                                            "file": SimpleUploadedFile("r.xlsx", results_file(world))})
    assert response.status_code == 202
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == "queued" and status["stage"] == WAITING_FOR_BROKER_STAGE
    job = Job.objects.get(pk=response.json()["job"])
    assert job.enqueued_at is None and job.input_file  # the file is kept for when the broker is back

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/results/upload/", {"procedure": procedure.pk, "mode": "strict",
                                                "file": SimpleUploadedFile("r.xlsx", results_file(world))})
    assert page.status_code == 302
    assert "служба заданий временно недоступна" in client.get(page.url).content.decode()


def test_waiting_jobs_are_handed_over_once_the_broker_is_back(world, broker):
    old, young = (job_create(kind="test", title=title, handler="tests.jobs.test_faults.handler") for title in "ab")
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=5),
                                         stage=WAITING_FOR_BROKER_STAGE)

    assert job_enqueue_waiting() == 0 and broker.accepted == []  # still down: nothing handed over, nothing lost
    broker.down = False
    assert job_enqueue_waiting() == 1
    assert broker.accepted == [old.pk]  # the young one may still be on its way from its own commit
    old.refresh_from_db()
    assert old.enqueued_at is not None and old.status == JobStatus.QUEUED and old.stage == "Ожидает обработки"
    assert job_enqueue_waiting() == 0  # handed over once


def test_a_job_that_loses_its_database_is_retried_not_failed_nor_left_running(world, monkeypatch):
    job = job_create(kind="test", title="Потеря базы", handler="tests.jobs.test_faults.lose_the_database")
    monkeypatch.setattr(services, "database_lost", lambda: True)
    with pytest.raises(OperationalError):
        job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.error  # not «failed»: nothing of it was stored

    retried = []

    def retry(exc, countdown):
        retried.append((exc.__class__, countdown))
        return RuntimeError("retry scheduled")

    monkeypatch.setattr(tasks.run_job, "retry", retry)
    with pytest.raises(RuntimeError, match="retry scheduled"):
        tasks.run_job(job.pk)
    assert retried == [(OperationalError, 5)]


def test_a_query_that_fails_on_a_live_connection_still_fails_the_job_with_a_reason(world):
    job = job_create(kind="test", title="Ошибка запроса", handler="tests.jobs.test_faults.lose_the_database")
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "OperationalError" in job.error


def test_an_upload_is_done_in_the_same_commit_as_its_results(world, django_capture_on_commit_callbacks):
    """A worker lost right after the import's commit hands the message out again: it must not import twice."""
    from assessments.services import results_import_job

    procedure = procedure_with_tasks()
    job = job_create(kind="results_import", title="Загрузка", handler="assessments.services.results_import_job",
                     user=world.user("centre"),
                     params={"procedure_id": procedure.pk, "filename": "r.xlsx", "mode": "strict"},
                     input_file=SimpleUploadedFile("r.xlsx", results_file(world)))
    claimed = job_claim(job.pk)
    with django_capture_on_commit_callbacks(execute=False):
        results_import_job(claimed, lambda stage, percent: None)  # the handler alone: job_run never gets to finish it
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["stored"] == 2
    assert job_claim(job.pk) is None  # the redelivered message finds it done
    assert ResultBatch.objects.filter(procedure=procedure).count() == 1
    assert Job.objects.filter(kind="analytics_recompute", params__procedure_ids=[procedure.pk]).count() == 1


def handler(job, progress):
    return {}


def lose_the_database(job, progress):
    raise OperationalError("server closed the connection unexpectedly")
