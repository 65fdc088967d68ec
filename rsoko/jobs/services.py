"""Creating jobs, handing them to the broker, reporting their progress and running them exactly once."""
from datetime import timedelta
import logging

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job, JobStatus

log = logging.getLogger(__name__)

WAITING_FOR_BROKER_STAGE = "Ожидает очереди: служба заданий временно недоступна, задание запустится автоматически"
# A queued job younger than this may still be on its way to the broker (its transaction is committing).
HAND_OVER_GRACE = timedelta(seconds=20)


class JobError(Exception):
    """A failure whose message (in Russian) is shown to the user as the job's reason."""


def job_create(*, kind: str, title: str, handler: str, user=None, organization=None, params=None, input_file=None) -> Job:
    """Stores the job and enqueues it once the surrounding transaction commits."""
    from .tasks import run_job

    job = Job(kind=kind, title=title, handler=handler, params=params or {}, created_by=user, organization=organization)
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=False)
    job.save()
    transaction.on_commit(lambda: job_enqueue(job.id))
    return job


def job_enqueue(job_id: int) -> bool:
    """Hands the job to the broker; False when the broker refused it.

    A broker that is down must not fail the user's request nor lose the job: the job stays queued with a stage
    that says why, and `job_enqueue_waiting` (Celery beat, every 30 s) hands it over once the broker is back.
    """
    from .tasks import run_job

    try:
        run_job.delay(job_id)
    except Exception:  # kombu's OperationalError, redis' ConnectionError, a timeout: whatever the broker raised
        log.warning("job %s: the broker refused it; it stays queued and is handed over later", job_id, exc_info=True)
        Job.objects.filter(id=job_id, status=JobStatus.QUEUED).update(stage=WAITING_FOR_BROKER_STAGE)
        return False
    Job.objects.filter(id=job_id).update(enqueued_at=timezone.now())
    return True


def job_enqueue_waiting() -> int:
    """Hands over the queued jobs the broker never accepted; stops at the first refusal (the broker is still down).

    A job whose process died between its commit and the hand-over is found here too.
    """
    waiting = Job.objects.filter(status=JobStatus.QUEUED, enqueued_at__isnull=True,
                                 created_at__lt=timezone.now() - HAND_OVER_GRACE)
    handed = 0
    for job_id in waiting.order_by("created_at", "id").values_list("id", flat=True):
        if not job_enqueue(job_id):
            break
        Job.objects.filter(id=job_id, stage=WAITING_FOR_BROKER_STAGE).update(stage=Job._meta.get_field("stage").default)
        handed += 1
    return handed


def job_progress(job_id: int, stage: str, percent: int) -> None:
    """Written straight away (outside any open transaction's view) so the user sees it move."""
    Job.objects.filter(id=job_id).update(stage=stage[:200], percent=max(0, min(100, int(percent))))


def job_claim(job_id: int) -> Job | None:
    """Marks a queued (or interrupted) job running; a finished job is never run again."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(id=job_id).first()
        if job is None or job.is_finished:
            return None
        job.status, job.started_at, job.attempts = JobStatus.RUNNING, timezone.now(), job.attempts + 1
        job.save(update_fields=["status", "started_at", "attempts"])
        return job


def job_finish(job: Job, *, result: dict | None = None, error: str = "") -> None:
    """Also called by a handler inside the transaction that stores its work: the job is then done in the same
    commit as its effect, and a worker lost right after that commit cannot run it a second time."""
    job.status = JobStatus.FAILED if error else JobStatus.DONE
    job.result, job.error, job.finished_at = result or {}, error, timezone.now()
    fields = ["status", "result", "error", "finished_at", "stage"]
    if error:
        job.stage = "Ошибка"  # the percent stays where the work stopped
    else:
        job.stage, job.percent = "Готово", 100
        fields.append("percent")
    job.save(update_fields=fields)


def job_run(job_id: int) -> None:
    """Runs the job's handler: handler(job, progress) returns a JSON-ready result dict."""
    job = job_claim(job_id)
    if job is None:
        return
    handler = import_string(job.handler)
    try:
        result = handler(job, lambda stage, percent: job_progress(job.id, stage, percent))
    except JobError as exc:
        job_finish(job, error=str(exc))
    except Exception as exc:
        if database_lost():
            raise  # its transaction was rolled back: tasks.run_job runs the job again once the database answers
        log.exception("job %s failed", job.id)
        job_finish(job, error=f"Внутренняя ошибка при выполнении задания ({exc.__class__.__name__}). "
                              "Данные не изменены; сообщите администратору.")
    else:
        job_finish(job, result=result)


def database_lost() -> bool:
    """True when the connection itself is gone (a database restart or failover), not when a query failed."""
    return connection.connection is not None and not connection.is_usable()
