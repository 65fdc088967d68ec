"""The report archive and the institute's recommendations that go into a procedure's analytical report."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from assessments.fieldwork.models import Campaign
from assessments.models import Procedure
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", "Квартальный отчёт"
    PROCEDURE = "procedure", "Аналитический отчёт по процедуре"
    CAMPAIGN = "campaign", "Сводка перепроверки работ"


class ReportArchiveQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Region-wide roles see everything; a municipality its office's and schools' reports; a school its own.
        A campaign summary, besides, only while its campaign page is open to the user (an expert never)."""
        scope = scope_for(user, "reports.view")
        if not scope.can("reports.view"):
            return self.none()
        campaigns = ~Q(kind=ReportKind.CAMPAIGN) | Q(campaign__in=Campaign.objects.visible_to(user))
        if scope.region_wide:
            return self.filter(campaigns)
        return self.filter(kind__in=[ReportKind.QUARTERLY, ReportKind.CAMPAIGN]).filter(campaigns).filter(
            Q(organization_id__in=scope.school_ids)
            | Q(organization__municipality_id__in=scope.municipality_ids)
        )


class ReportArchive(models.Model):
    """One rendered PDF, kept for ever: same parameters → the next version, never overwritten."""

    kind = models.CharField("вид", max_length=16, choices=ReportKind.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="reports",
                                     verbose_name="организация")
    period = models.CharField("период", max_length=8, blank=True, help_text="квартал, например 2026Q3")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, null=True, blank=True, related_name="reports",
                                  verbose_name="процедура")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="reports",
                                 verbose_name="кампания перепроверки")
    version = models.PositiveIntegerField("версия")
    file = models.FileField("файл", upload_to="reports/%Y/%m/")
    size = models.PositiveIntegerField("размер, байт", default=0)
    parameters = models.JSONField("параметры", default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="сформировал")
    created_at = models.DateTimeField("сформирован", auto_now_add=True)
    # The job that rendered it, recorded in the same commit as the PDF: a job resumed after its worker was lost
    # skips the organizations it has already stored (the scheduled quarterly set renders many in one job).
    job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                            verbose_name="задание")

    objects = ReportArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = "отчёт в архиве"
        verbose_name_plural = "архив отчётов"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "organization", "period", "procedure", "campaign",
                                                       "version"], name="report_archive_version_unique"),
                       # One report per organization and job, whatever happens to the job's attempts.
                       models.UniqueConstraint(fields=["job", "organization"], condition=Q(job__isnull=False),
                                               name="report_archive_one_per_job_and_organization")]

    def __str__(self):
        return f"{self.title} (версия {self.version})"

    @property
    def title(self) -> str:
        if self.campaign_id:
            return f"{self.get_kind_display()}: {self.campaign.title}, {self.organization.short_name}"
        subject = self.procedure.code if self.procedure_id else self.period
        return f"{self.get_kind_display()}: {self.organization.short_name}, {subject}"


class ProcedureRecommendation(models.Model):
    """The institute's conclusions and recommendations for one procedure (printed in its analytical report)."""

    procedure = models.OneToOneField(Procedure, on_delete=models.CASCADE, related_name="recommendation")
    text = models.TextField("выводы и рекомендации", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = "рекомендации по процедуре"
        verbose_name_plural = "рекомендации по процедурам"

    def __str__(self):
        return f"Рекомендации: {self.procedure.code}"
