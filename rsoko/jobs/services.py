"""Creating jobs, handing them to the broker, reporting their progress and running them exactly once."""
from datetime import timedelta
import logging

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from rsoko.typography import plural

from .models import Job, JobStatus

log = logging.getLogger(__name__)

WAITING_FOR_BROKER_STAGE = "Ожидает очереди: служба заданий временно недоступна, задание запустится автоматически"
# A queued job younger than this may still be on its way to the broker (its transaction is committing).
HAND_OVER_GRACE = timedelta(seconds=20)
GIVEN_UP_ADVICE = "Автоматически оно больше не повторяется; сообщите администратору."


class JobError(Exception):
    """A failure whose message (in Russian) is shown to the user as the job's reason; `result` may say more for the
    job's page (an import's errors grouped by kind)."""

    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.result = result


class JobSuperseded(Exception):
    """This attempt no longer owns its job: the watchdog took the job for lost and a newer attempt claimed it."""

    def __init__(self, job_id: int, attempt: int):
        super().__init__(f"job {job_id}: attempt {attempt} was superseded")


def job_create(*, kind: str, title: str, handler: str, user=None, organization=None, params=None, input_file=None,
               unique_key: str | None = None) -> Job:
    """Stores the job and enqueues it once the surrounding transaction commits."""
    job = Job(kind=kind, title=title, handler=handler, params=params or {}, created_by=user, organization=organization,
              unique_key=unique_key)
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=False)
    job.save()
    transaction.on_commit(lambda: job_enqueue(job.id))
    return job


def job_create_once(*, unique_key: str, **fields) -> tuple[Job, bool]:
    """The job for this key if one exists and has not failed, else a new one: (job, created).

    The database's unique index decides (Job.Meta), so of two callers at once one creates and the other gets its
    job; the losing insert is rolled back to a savepoint, with its hand-over to the broker.
    """
    for _ in range(2):  # the job found by the key may fail between the insert and the look-up: then try again
        try:
            with transaction.atomic():
                return job_create(unique_key=unique_key, **fields), True
        except IntegrityError:
            existing = Job.objects.filter(unique_key=unique_key).exclude(status=JobStatus.FAILED).first()
            if existing is not None:
                return existing, False
    raise IntegrityError(f"no job could be created nor found for the key {unique_key!r}")


def job_enqueue(job_id: int) -> bool:
    """Hands the job to the broker; False when the broker refused it.

    A broker that is down must not fail the user's request nor lose the job: the job stays queued with a stage
    that says why, and `job_enqueue_waiting` (Celery beat, every 30 s) hands it over once the broker is back.
    """
    from .tasks import run_job

    try:
        run_job.apply_async((job_id,), queue=job_queue(job_id))
    except Exception:  # kombu's OperationalError, redis' ConnectionError, a timeout: whatever the broker raised
        log.warning("job %s: the broker refused it; it stays queued and is handed over later", job_id, exc_info=True)
        Job.objects.filter(id=job_id, status=JobStatus.QUEUED).update(stage=WAITING_FOR_BROKER_STAGE)
        return False
    Job.objects.filter(id=job_id).update(enqueued_at=timezone.now())
    return True


def job_queue(job_id: int) -> str | None:
    """The broker queue of the job: its own for the jobs that start worker processes (settings.HEAVY_JOB_KINDS),
    None (the default one) for the rest."""
    kind = Job.objects.filter(id=job_id).values_list("kind", flat=True).first()
    return (settings.HEAVY_JOB_QUEUE or None) if kind in settings.HEAVY_JOB_KINDS else None


def job_enqueue_waiting() -> int:
    """Hands over the queued jobs the broker never accepted; stops at the first refusal (the broker is still down).

    A job whose process died between its commit and the hand-over is found here too.
    """
    waiting = Job.objects.filter(status=JobStatus.QUEUED, enqueued_at__isnull=True,
                                 created_at__lt=timezone.now() - HAND_OVER_GRACE)
    handed = hand_over(waiting)
    Job.objects.filter(id__in=handed, stage=WAITING_FOR_BROKER_STAGE).update(stage=Job._meta.get_field("stage").default)
    return len(handed)


def hand_over(jobs) -> list[int]:
    """Hands the jobs to the broker, oldest first; stops at the first refusal (the broker is down: the rest would
    be refused too). Returns the ids handed over."""
    handed = []
    for job_id in jobs.order_by("created_at", "id").values_list("id", flat=True):
        if not job_enqueue(job_id):
            break
        handed.append(job_id)
    return handed


def job_watchdog() -> dict:
    """Celery beat (every 5 minutes): jobs left behind by a lost message or a lost worker go back to work.

    Without it a job waits for the broker's visibility timeout (an hour) after its whole worker was killed, and
    for ever when Redis restarted without the messages it held or a database outage outlasted run_job's retries.
    """
    return {"handed_over_again": resend_unstarted(), **restart_silent()}


def resend_unstarted() -> int:
    """Queued jobs handed to the broker long ago and never started: their message was lost, so a new one is sent.

    If the old message was only waiting behind a long queue, the job gets two: the first claims it and the
    second is dropped by job_claim. The hand-over time moves on, so a job is sent again once per threshold.
    """
    cutoff = timezone.now() - timedelta(minutes=settings.JOB_QUEUED_STALE_MINUTES)
    # A refusal leaves the rest for job_enqueue_waiting, once the broker is back.
    return len(hand_over(Job.objects.filter(status=JobStatus.QUEUED, enqueued_at__lt=cutoff)))


def restart_silent() -> dict:
    """Running jobs whose heartbeat stopped: their worker is gone. Each goes back to the queue for a new attempt,
    or fails once it has used up its attempts. Both changes are conditional on the heartbeat still being old, so a
    job that reports progress meanwhile is left alone."""
    now = timezone.now()
    cutoff = now - timedelta(minutes=settings.JOB_RUNNING_STALE_MINUTES)
    restarted = failed = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).order_by("heartbeat_at", "id"):
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            failed += job_give_up(job, f"Задание прервано: {silence(job, now)}, попыток было {job.attempts}. "
                                       f"{GIVEN_UP_ADVICE}", heartbeat_at__lt=cutoff)
            continue
        silent = Job.objects.filter(id=job.id, status=JobStatus.RUNNING, attempts=job.attempts, heartbeat_at__lt=cutoff)
        if silent.update(status=JobStatus.QUEUED, enqueued_at=None,
                         stage=f"Перезапуск: {silence(job, now)}; задание выполнится заново"):
            log.warning("job %s: no heartbeat since %s; queued again after attempt %s", job.id, job.heartbeat_at,
                        job.attempts)
            job_enqueue(job.id)  # if the broker refuses, job_enqueue_waiting hands it over later
            restarted += 1
    return {"restarted": restarted, "failed": failed}


def silence(job: Job, now) -> str:
    minutes = int((now - job.heartbeat_at).total_seconds() // 60)
    return f"исполнитель не отвечал {minutes} {plural(minutes, 'минуту', 'минуты', 'минут')}"


def job_progress(job_id: int, stage: str, percent: int, *, attempt: int | None = None) -> None:
    """Written straight away (outside any open transaction's view) so the user sees it move; it is also the
    attempt's heartbeat. An attempt that finds the job taken over by a newer one stops here (JobSuperseded)."""
    mine = Job.objects.filter(id=job_id) if attempt is None else Job.objects.filter(id=job_id, attempts=attempt)
    reported = mine.update(stage=stage[:200], percent=max(0, min(100, int(percent))), heartbeat_at=timezone.now())
    if attempt is not None and not reported:
        raise JobSuperseded(job_id, attempt)


def job_claim(job_id: int, delivery: str = "") -> Job | None:
    """Marks the job running as a new attempt; None when this message must not run it.

    A queued job goes to whichever message comes first. A running job is taken again only by the message that
    started it, handed out again because its worker was lost (Celery redelivers an unacknowledged message);
    any other message for it is a duplicate (the watchdog or a second hand-over) and is dropped, so two messages
    never run one job at once. A finished job is never run again. The claim is one conditional UPDATE on the
    state that was read: of two claims at once exactly one changes the row, on any database.
    """
    job = Job.objects.filter(id=job_id).first()
    if job is None or not may_claim(job, delivery):
        return None
    if job.attempts >= settings.JOB_MAX_ATTEMPTS:
        job_give_up(job, f"Задание прервано: исполнитель аварийно завершался во всех {job.attempts} "
                         f"{plural(job.attempts, 'попытке', 'попытках', 'попытках')}. {GIVEN_UP_ADVICE}")
        return None
    now = timezone.now()
    claimed = Job.objects.filter(id=job.id, status=job.status, attempts=job.attempts, delivery=job.delivery).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=job.attempts + 1, delivery=delivery)
    if not claimed:
        return None  # another message claimed it (or finished it) between the read and the update
    job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
    job.attempts, job.delivery = job.attempts + 1, delivery
    return job


def may_claim(job: Job, delivery: str) -> bool:
    """Only the message that started a running job may take it again. That message is not handed out twice at
    once (the task time limit stays below the broker's visibility timeout); were it so, each copy's claim would be
    an attempt of its own and the older one fenced out at its next report or store."""
    if job.status == JobStatus.QUEUED:
        return True
    # A job started before deliveries were recorded (empty) is taken by its redelivered message as before.
    return job.status == JobStatus.RUNNING and job.delivery in ("", delivery)


def job_give_up(job: Job, reason: str, **still) -> bool:
    """Fails an interrupted job for good (too many attempts), unless it moved meanwhile; `still` adds conditions
    the row must still meet (the watchdog's: no heartbeat since its cutoff)."""
    return bool(Job.objects.filter(id=job.id, status=job.status, attempts=job.attempts, **still).update(
        status=JobStatus.FAILED, stage="Ошибка", error=reason, finished_at=timezone.now()))


def job_hold(job: Job) -> None:
    """Called inside a handler's store transaction: locks the job's row and checks that this attempt still owns
    the job. A newer attempt's claim then waits for this commit, and a superseded attempt stores nothing."""
    if not list(Job.objects.select_for_update().filter(id=job.id, attempts=job.attempts).values_list("id", flat=True)):
        raise JobSuperseded(job.id, job.attempts)


def job_finish(job: Job, *, result: dict | None = None, error: str = "") -> None:
    """Also called by a handler inside the transaction that stores its work: the job is then done in the same
    commit as its effect, and a worker lost right after that commit cannot run it a second time.

    Only the attempt that owns the job finishes it (the update is conditional on its attempt number); a
    superseded attempt gets JobSuperseded, which rolls back the transaction it was called in.
    """
    job.status = JobStatus.FAILED if error else JobStatus.DONE
    job.result, job.error, job.finished_at = result or {}, error, timezone.now()
    fields = {"status": job.status, "result": job.result, "error": error, "finished_at": job.finished_at}
    if error:
        job.stage = "Ошибка"  # the percent stays where the work stopped
    else:
        job.stage, job.percent = "Готово", 100
        fields["percent"] = 100
    if not Job.objects.filter(id=job.id, attempts=job.attempts).update(stage=job.stage, **fields):
        raise JobSuperseded(job.id, job.attempts)


def job_run(job_id: int, delivery: str = "") -> None:
    """Runs the job's handler: handler(job, progress) returns a JSON-ready result dict."""
    job = job_claim(job_id, delivery)
    if job is None:
        return
    try:
        run_attempt(job)
    except JobSuperseded:
        log.warning("job %s: attempt %s was taken over by a newer attempt and stopped", job.id, job.attempts)


def run_attempt(job: Job) -> None:
    handler = import_string(job.handler)
    try:
        result = handler(job, lambda stage, percent: job_progress(job.id, stage, percent, attempt=job.attempts))
    except JobSuperseded:
        raise
    except JobError as exc:
        job_finish(job, error=str(exc), result=exc.result)
        discard_input(job)
    except Exception as exc:
        if database_lost():
            raise  # its transaction was rolled back: tasks.run_job runs the job again once the database answers
        log.exception("job %s failed", job.id)
        job_finish(job, error=f"Внутренняя ошибка при выполнении задания ({exc.__class__.__name__}). "
                              "Данные не изменены; сообщите администратору.")
    else:
        job_finish(job, result=result)


def discard_input(job: Job) -> None:
    """A refused file is not kept: it may be large, and it may hold pupils' data nobody will ever import."""
    if job.input_file:
        job.input_file.delete(save=False)
        Job.objects.filter(id=job.id).update(input_file="")


def database_lost() -> bool:
    """True when the connection itself is gone (a database restart or failover), not when a query failed."""
    return connection.connection is not None and not connection.is_usable()
