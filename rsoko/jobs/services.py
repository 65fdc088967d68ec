"""Creating jobs, reporting their progress and running them exactly once."""
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Job, JobStatus

log = logging.getLogger(__name__)


class JobError(Exception):
    """A failure whose message (in Russian) is shown to the user as the job's reason."""


def job_create(*, kind: str, title: str, handler: str, user=None, organization=None, params=None, input_file=None) -> Job:
    """Stores the job and enqueues it once the surrounding transaction commits."""
    from .tasks import run_job

    job = Job(kind=kind, title=title, handler=handler, params=params or {}, created_by=user, organization=organization)
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=False)
    job.save()
    transaction.on_commit(lambda: run_job.delay(job.id))
    return job


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
        log.exception("job %s failed", job.id)
        job_finish(job, error=f"Внутренняя ошибка при выполнении задания ({exc.__class__.__name__}). "
                              "Данные не изменены; сообщите администратору.")
    else:
        job_finish(job, result=result)
