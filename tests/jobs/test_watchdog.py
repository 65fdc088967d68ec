"""The watchdog: jobs whose message or worker was lost go back to work; jobs still working are left alone."""
from datetime import timedelta
import os
from pathlib import Path
import subprocess
import sys

from django.utils import timezone
import pytest

from rsoko.jobs import tasks
from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import JobSuperseded, job_claim, job_create, job_progress, job_run, job_watchdog

from .test_faults import Broker

HANDLER = "tests.jobs.test_faults.handler"


@pytest.fixture
def broker(monkeypatch):
    broker = Broker(down=False)
    monkeypatch.setattr(tasks.run_job, "apply_async", broker.apply_async)
    return broker


def new_job(title="Задание") -> Job:
    return job_create(kind="test", title=title, handler=HANDLER)


def age(job: Job, **fields_minutes_ago) -> None:
    Job.objects.filter(pk=job.pk).update(**{name: timezone.now() - timedelta(minutes=minutes)
                                            for name, minutes in fields_minutes_ago.items()})


def test_a_queued_job_whose_message_was_lost_is_handed_over_again_once(world, broker, settings):
    settings.JOB_QUEUED_STALE_MINUTES = 10
    lost, recent, never = new_job("потеряно"), new_job("недавно"), new_job("брокер не принял")
    age(lost, enqueued_at=11, created_at=12)
    age(recent, enqueued_at=3, created_at=3)
    age(never, created_at=30)  # enqueued_at stays empty: job_enqueue_waiting's business, not the watchdog's

    assert job_watchdog() == {"handed_over_again": 1, "restarted": 0, "failed": 0}
    assert broker.accepted == [lost.pk]
    lost.refresh_from_db()
    assert lost.status == JobStatus.QUEUED and lost.enqueued_at > timezone.now() - timedelta(minutes=1)
    assert job_watchdog()["handed_over_again"] == 0 and broker.accepted == [lost.pk]


def test_a_running_job_that_reports_progress_is_left_alone(world, broker, settings):
    settings.JOB_RUNNING_STALE_MINUTES = 15
    job = new_job()
    claimed = job_claim(job.pk, delivery="m")
    age(job, started_at=60, heartbeat_at=60)  # a long job...
    job_progress(job.pk, "Запись", 50, attempt=claimed.attempts)  # ...that is still working

    assert job_watchdog() == {"handed_over_again": 0, "restarted": 0, "failed": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1 and broker.accepted == []


def test_a_silent_running_job_is_queued_again_and_run_as_a_new_attempt(world, broker, settings):
    settings.JOB_RUNNING_STALE_MINUTES, settings.JOB_MAX_ATTEMPTS = 15, 3
    job = new_job()
    job_claim(job.pk, delivery="lost-with-its-worker")
    age(job, heartbeat_at=16)

    assert job_watchdog() == {"handed_over_again": 0, "restarted": 1, "failed": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and broker.accepted == [job.pk]
    assert job.stage == "Перезапуск: исполнитель не отвечал 16 минут; задание выполнится заново"
    assert job_watchdog()["restarted"] == 0  # queued now, and just handed over

    job_run(job.pk, delivery="from-the-watchdog")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    with pytest.raises(JobSuperseded):
        job_progress(job.pk, "Запись", 90, attempt=1)  # the lost attempt, if it wakes up, stops at its next report
    assert job_claim(job.pk, delivery="lost-with-its-worker") is None  # the old message, back after an hour


def test_a_silent_job_that_used_up_its_attempts_fails_with_a_reason(world, broker, settings):
    settings.JOB_RUNNING_STALE_MINUTES, settings.JOB_MAX_ATTEMPTS = 20, 2
    job = new_job()
    job_claim(job.pk, delivery="m")
    job_claim(job.pk, delivery="m")
    age(job, heartbeat_at=21)

    assert job_watchdog() == {"handed_over_again": 0, "restarted": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at and broker.accepted == []
    assert job.error == ("Задание прервано: исполнитель не отвечал 21 минуту, попыток было 2. "
                         "Автоматически оно больше не повторяется; сообщите администратору.")


def test_the_watchdog_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["jobs-watchdog"]
    assert entry["task"] == "jobs.watchdog" and entry["schedule"] <= 5 * 60
    assert tasks.watchdog.name == "jobs.watchdog"


def beat_entry_with(**env) -> str:
    """The watchdog's beat entry as settings build it from this environment (a fresh interpreter)."""
    code = ("import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rsoko.settings'); import django; "
            "django.setup(); from django.conf import settings; "
            "e = settings.CELERY_BEAT_SCHEDULE['jobs-watchdog']; print(e['schedule'], e['options']['expires'])")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], text=True,
                          capture_output=True, env={**os.environ, **env}, check=True)
    return done.stdout.strip()


def test_the_watchdog_period_comes_from_the_environment():
    assert beat_entry_with(JOB_WATCHDOG_SECONDS="") == "300.0 240.0"
    assert beat_entry_with(JOB_WATCHDOG_SECONDS="20") == "20.0 16.0"  # the fault drill's period
