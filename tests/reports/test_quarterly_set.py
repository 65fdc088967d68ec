"""The scheduled quarterly set is ordered once per quarter: beat firing twice creates one job."""
from django.db import IntegrityError, transaction
from freezegun import freeze_time
import pytest

from reports.periods import Quarter
from reports.tasks import quarterly_set
from rsoko.jobs.models import Job, JobStatus

Q2 = Quarter.parse("2021Q2")


def test_beat_firing_twice_for_a_quarter_creates_one_job(world):
    with freeze_time("2026-10-02 03:30"):
        first, second = quarterly_set(), quarterly_set()
    assert first == second
    assert Job.objects.filter(handler="reports.services.quarterly_set_job").count() == 1
    assert Job.objects.get(pk=first).unique_key == "reports.quarterly_set:2026Q3"
    assert quarterly_set("2026Q2") != first  # another quarter, another job


def test_the_database_refuses_a_second_set_job_for_the_quarter(world):
    quarterly_set(Q2.code)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="report", title="Второй комплект", handler="reports.services.quarterly_set_job",
                           unique_key=f"reports.quarterly_set:{Q2.code}")


def test_a_failed_set_job_may_be_ordered_again(world):
    failed = quarterly_set(Q2.code)
    Job.objects.filter(pk=failed).update(status=JobStatus.FAILED, error="Узел не ответил")
    again = quarterly_set(Q2.code)
    assert again != failed and quarterly_set(Q2.code) == again
    assert Job.objects.get(pk=again).status == JobStatus.QUEUED
