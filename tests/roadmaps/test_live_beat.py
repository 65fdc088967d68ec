"""The beat schedule entry runs through the real broker (Redis) and a real worker, with time frozen."""
import time

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from freezegun import freeze_time
import pytest

from rsoko.celery import app as celery_app
from roadmaps.choices import ExecutionStatus
from roadmaps.default_aliases import install_default_aliases
from roadmaps.models import Assignment, ReminderLog
from tests.conftest import require_services

from .factories import roadmap_world

# Celery, kombu and redis keep real time: their timeouts must not freeze with the clock of the test.
REAL_TIME_MODULES = ["celery", "kombu", "billiard", "redis", "vine", "amqp"]


def broker_or_skip():
    if settings.CELERY_BROKER_URL:
        return
    if require_services():
        pytest.fail("RSOKO_REQUIRE_SERVICES=1 but no REDIS_URL/CELERY_BROKER_URL is configured")
    pytest.skip("no broker configured (set REDIS_URL); .ci/run runs this test against Redis")


FINISHED: list[str] = []


@task_postrun.connect
def count_finished(sender=None, task=None, **kwargs):
    FINISHED.append(task.name)


def run_beat_entry(seconds: float = 30) -> None:
    """Sends the schedule entry's task through the broker as beat would, and waits until the worker ran it."""
    entry = settings.CELERY_BEAT_SCHEDULE["roadmaps-daily-check"]
    before = FINISHED.count(entry["task"])
    celery_app.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if FINISHED.count(entry["task"]) > before:
            return
        time.sleep(0.1)
    raise AssertionError("the daily roadmap check did not run on the worker")


@pytest.mark.live_services
@pytest.mark.django_db(transaction=True)
def test_the_daily_beat_job_marks_overdue_and_reminds_once_on_a_real_worker(world, settings):
    broker_or_skip()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    centre_user = world.user("centre")
    centre_user.email = "centre@example.org"
    centre_user.save()
    install_default_aliases()  # a transactional test starts from a flushed table
    rm = roadmap_world(world)
    centre_item = Assignment.objects.get(item=rm.item_centre)
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
        with freeze_time("2025-10-10 09:00:00", tick=True, ignore=REAL_TIME_MODULES):
            run_beat_entry()
            assert ReminderLog.objects.filter(key=f"deadline:{centre_item.pk}:7").exists()
            run_beat_entry()  # a second run the same day sends nothing new
        assert [m.to for m in mail.outbox] == [["centre@example.org"]]
        assert Assignment.objects.get(pk=centre_item.pk).status == ExecutionStatus.NOT_STARTED
        with freeze_time("2025-10-16 09:00:00", tick=True, ignore=REAL_TIME_MODULES):
            run_beat_entry()
            run_beat_entry()
    assert Assignment.objects.get(pk=centre_item.pk).status == ExecutionStatus.OVERDUE
    assert Assignment.objects.get(pk=centre_item.pk).history.count() == 1
    assert len(mail.outbox) == 2 and "Просрочен пункт 1.1." in mail.outbox[1].subject
