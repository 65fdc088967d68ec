from celery import shared_task
from django.db import DatabaseError, InterfaceError

from .services import job_enqueue_waiting, job_run, job_watchdog

# While the database restarts or fails over: 5, 10, 20, 40 s, then every minute; about six minutes in all.
DATABASE_RETRIES, DATABASE_RETRY_MAX_SECONDS = 9, 60


@shared_task(name="jobs.run_job", bind=True, max_retries=DATABASE_RETRIES)
def run_job(self, job_id: int) -> None:
    """Runs the job; when the database is unreachable (job_run marks every other failure as the job's own),
    the job is tried again later instead of being left «running» or «queued» for ever."""
    try:
        # The task id travels with the message: a redelivery of this message may resume the job, a duplicate not.
        job_run(job_id, delivery=self.request.id or "")
    except (DatabaseError, InterfaceError) as exc:
        raise self.retry(exc=exc, countdown=min(DATABASE_RETRY_MAX_SECONDS, 5 * 2 ** self.request.retries))


@shared_task(name="jobs.enqueue_waiting")
def enqueue_waiting() -> int:
    """Celery beat: jobs submitted while the broker was down go to it once it is back."""
    return job_enqueue_waiting()


@shared_task(name="jobs.watchdog")
def watchdog() -> dict:
    """Celery beat: jobs whose message or worker was lost are handed over again, restarted or failed."""
    return job_watchdog()
