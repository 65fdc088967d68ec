"""Celery beat: the quarterly set is rendered on the days after each quarter ends."""
from celery import shared_task
from django.utils import timezone

from .periods import Quarter


@shared_task(name="reports.quarterly_set")
def quarterly_set(quarter: str | None = None) -> int:
    """Renders the region's and every municipality's report for the quarter that has just ended, as a job.

    One job per quarter: beat firing twice (two beat processes, a restart around the scheduled minute) finds the
    quarter's job by its key and creates none. A failed set job frees the key, so the set may be ordered again.
    """
    from rsoko.jobs.services import job_create_once

    target = Quarter.parse(quarter) if quarter else Quarter.containing(timezone.localdate()).previous()
    job, _ = job_create_once(unique_key=f"reports.quarterly_set:{target.code}", kind="report",
                             title=f"Квартальные отчёты региона: {target.title}",
                             handler="reports.services.quarterly_set_job", params={"quarter": target.code})
    return job.pk
