"""A job is claimed by one message only: duplicates are dropped, a redelivery after a lost worker resumes it."""
import pytest

from rsoko.jobs import tasks
from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import JobSuperseded, job_claim, job_create, job_finish, job_progress, job_run


def new_job(title="Задание") -> Job:
    return job_create(kind="test", title=title, handler="tests.jobs.test_faults.handler")


def test_a_duplicate_message_for_a_running_job_is_dropped_and_its_redelivery_resumes_it(world):
    job = new_job()
    first = job_claim(job.pk, delivery="message-a")
    assert first.status == JobStatus.RUNNING and first.attempts == 1 and first.delivery == "message-a"
    assert job_claim(job.pk, delivery="message-b") is None  # a second hand-over while it runs: not run twice
    again = job_claim(job.pk, delivery="message-a")  # the same message after its worker was lost
    assert again.attempts == 2
    job_finish(again, result={})
    assert job_claim(job.pk, delivery="message-a") is None


def test_a_job_that_loses_its_worker_every_time_fails_after_the_last_attempt(world, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    job = new_job()
    job_claim(job.pk, delivery="m")
    job_claim(job.pk, delivery="m")
    assert job_claim(job.pk, delivery="m") is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.attempts == 2
    assert job.error.startswith("Задание прервано: исполнитель аварийно завершался во всех 2 попытках.")


def test_the_task_id_of_the_message_is_recorded_as_its_delivery(world):
    job = new_job()
    tasks.run_job.delay(job.pk)  # eager in the tests: runs here, with a task id as a worker would
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and len(job.delivery) == 36


def test_the_second_message_of_a_job_handed_over_twice_is_harmless(world):
    job = new_job()
    job_run(job.pk, delivery="original")  # the original message was only late, not lost
    job_run(job.pk, delivery="watchdog")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 1 and job.delivery == "original"


def test_an_attempt_whose_job_was_claimed_again_can_neither_report_nor_finish(world):
    job = new_job()
    old = job_claim(job.pk, delivery="m")
    assert job_claim(job.pk, delivery="m").attempts == 2
    with pytest.raises(JobSuperseded):
        job_progress(job.pk, "Запись", 90, attempt=old.attempts)  # the old attempt stops at its next report
    with pytest.raises(JobSuperseded):
        job_finish(old, result={"stored": "twice"})  # and, inside its store transaction, rolls that back
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 2 and job.result == {} and job.percent == 0


def test_a_superseded_attempt_leaves_the_job_to_the_newer_one(world):
    job = job_create(kind="test", title="Перехвачено", handler="tests.jobs.test_claims.taken_over_midway")
    job_run(job.pk, delivery="older")  # JobSuperseded from its next report is logged, not raised to Celery
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 2 and job.delivery == "newer" and job.percent == 0


def taken_over_midway(job, progress):
    Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, delivery="newer")  # another worker's claim
    progress("Запись", 50)
    return {"stored": True}
