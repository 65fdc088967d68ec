"""Long work (imports, recomputation, reports) runs as a job the user can follow: stage and percent."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from rsoko.orgs.access import scope_for


class JobStatus(models.TextChoices):
    QUEUED = "queued", "В очереди"
    RUNNING = "running", "Выполняется"
    DONE = "done", "Готово"
    FAILED = "failed", "Ошибка"


# Whose eyes a job's stages, result and error are for, besides its owner: those who hold this capability (and
# jobs.view) over the job's organization. An import's messages quote pupil codes and scores: results readers only.
JOB_AUDIENCE = {
    "results_import": "results.view",
    "analytics_recompute": "results.view",
    "report": "reports.view",
    "registry_import": "registry.manage",
}


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A job is seen by its owner and by the roles whose scope covers its organization for the job's kind
        (a job of no organization: region-wide roles only)."""
        if not scope_for(user).can("jobs.view"):
            return self.none()
        condition = Q(created_by=user)
        for kinds, capability in audiences():
            reach = scope_for(user, capability, "jobs.view")
            if not reach.is_empty:
                condition |= kinds & reach.covers_q()
        return self.filter(condition)


def audiences() -> list[tuple[Q, str]]:
    """(kinds, capability): JOB_AUDIENCE grouped by capability; any other kind is for job viewers as such."""
    by_capability: dict[str, list[str]] = {}
    for kind, capability in JOB_AUDIENCE.items():
        by_capability.setdefault(capability, []).append(kind)
    pairs = [(Q(kind__in=kinds), capability) for capability, kinds in by_capability.items()]
    return pairs + [(~Q(kind__in=list(JOB_AUDIENCE)), "jobs.view")]


class Job(models.Model):
    kind = models.CharField("вид", max_length=64, db_index=True)
    title = models.CharField("название", max_length=300)
    handler = models.CharField(max_length=200, help_text="dotted path of the function doing the work")
    params = models.JSONField(default=dict, blank=True)
    input_file = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField("состояние", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField("этап", max_length=200, default="Ожидает обработки")
    percent = models.PositiveSmallIntegerField("выполнено, %", default=0)
    result = models.JSONField("итог", default=dict, blank=True)
    error = models.TextField("причина ошибки", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Set when the broker accepted the job; a queued job without it is handed over again (see job_enqueue_waiting).
    enqueued_at = models.DateTimeField("передано в очередь", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The running attempt's last sign of life: its claim and every progress report. A running job silent for
    # longer than JOB_RUNNING_STALE_MINUTES lost its worker and is started again by job_watchdog.
    heartbeat_at = models.DateTimeField("последний признак работы", null=True, blank=True)
    # The broker message (Celery task id) that runs the current attempt: that message, handed out again after its
    # worker was lost, may take the job again; any other message for a running job is a duplicate and is dropped.
    delivery = models.CharField(max_length=64, blank=True, default="")
    # Work that must be ordered once (the scheduled quarterly set): at most one job per key that has not failed.
    unique_key = models.CharField("ключ единственности", max_length=100, null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "задание"
        verbose_name_plural = "задания"
        ordering = ["-created_at", "-id"]
        constraints = [
            # A unique index, not a check before the insert: two beat processes firing at once still get one job.
            # A failed job frees its key, so the work may be ordered again.
            models.UniqueConstraint(fields=["unique_key"], condition=Q(unique_key__isnull=False) & ~Q(status="failed"),
                                    name="job_unique_key_unless_failed"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}
