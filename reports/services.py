"""Rendering reports into the archive: on demand (a job), by Celery beat after each quarter, from the CLI."""
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from assessments.fieldwork.models import Campaign
from assessments.models import Procedure
from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, snapshot
from rsoko.jobs.services import JobError, job_create, job_finish, job_hold
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from . import rendering, sources
from .models import ProcedureRecommendation, ReportArchive, ReportKind
from .periods import Quarter


def can_render(user, *, organization: Organization | None = None, procedure: Procedure | None = None) -> bool:
    """Who may render what: region reports and procedure reports — region-wide roles; a municipality's office
    and schools — its coordinator; a school — its head."""
    scope = scope_for(user, "reports.render")
    if not scope.can("reports.render"):
        return False
    if scope.region_wide:
        return True
    if procedure is not None or organization is None:
        return False
    if organization.kind == OrgKind.SCHOOL and organization.pk in scope.school_ids:
        return True
    return organization.kind in (OrgKind.SCHOOL, OrgKind.MUNICIPAL_OFFICE) and organization.municipality_id in scope.municipality_ids


def renderable_organizations(user):
    """The organizations this user may order a quarterly report for."""
    orgs = Organization.objects.filter(is_active=True, kind__in=[OrgKind.MINISTRY, OrgKind.MUNICIPAL_OFFICE, OrgKind.SCHOOL])
    scope = scope_for(user, "reports.render")
    if not scope.can("reports.render"):
        return orgs.none()
    if scope.region_wide:
        return orgs
    from django.db.models import Q

    return orgs.filter(Q(pk__in=scope.school_ids) | Q(municipality_id__in=scope.municipality_ids,
                                                       kind__in=[OrgKind.SCHOOL, OrgKind.MUNICIPAL_OFFICE]))


def archive_store(*, kind: str, organization: Organization, rendered, period: str = "", procedure=None, campaign=None,
                  user=None, parameters: dict | None = None, job=None, on_stored=None) -> ReportArchive:
    """Keeps the PDF as the next version for the same parameters (the row lock serialises parallel renders).

    The row names the job that rendered it. `on_stored(report)` runs inside the same transaction (a job marks
    itself done there, or checks that its attempt still owns it: one version per job and organization).
    """
    with transaction.atomic():
        same = ReportArchive.objects.select_for_update().filter(kind=kind, organization=organization, period=period,
                                                               procedure=procedure, campaign=campaign)
        version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
        report = ReportArchive(kind=kind, organization=organization, period=period, procedure=procedure,
                               campaign=campaign, version=version, size=len(rendered.pdf), job=job,
                               created_by=user if getattr(user, "pk", None) else None,
                               parameters={**(parameters or {}), "figures": rendered.figures,
                                           "rendered_at": timezone.now().isoformat()})
        report.file.save(rendered.filename.replace(".pdf", f"-v{version}.pdf"), ContentFile(rendered.pdf), save=False)
        report.save()
        if on_stored is not None:
            on_stored(report)
    return report


def quarterly_render(*, organization: Organization, quarter: Quarter, user=None, job=None,
                     on_stored=None) -> ReportArchive:
    rendered = rendering.render_quarterly(organization, quarter)
    return archive_store(kind=ReportKind.QUARTERLY, organization=organization, rendered=rendered, period=quarter.code,
                         user=user, parameters={"organization": organization.code, "quarter": quarter.code},
                         job=job, on_stored=on_stored)


def procedure_render(*, procedure: Procedure, user=None, job=None, on_stored=None) -> ReportArchive:
    organization = sources.region_organization()
    if organization is None:
        raise JobError("В реестре нет министерства: региональному отчёту не к кому относиться.")
    rendered = rendering.render_procedure(procedure)
    return archive_store(kind=ReportKind.PROCEDURE, organization=organization, rendered=rendered, procedure=procedure,
                         user=user, parameters={"procedure": procedure.code}, job=job, on_stored=on_stored)


def campaign_render(*, campaign: Campaign, organization: Organization, user=None, job=None,
                    on_stored=None) -> ReportArchive:
    rendered = rendering.render_campaign(campaign, organization)
    return archive_store(kind=ReportKind.CAMPAIGN, organization=organization, rendered=rendered, campaign=campaign,
                         user=user, parameters={"campaign": campaign.pk, "organization": organization.code},
                         job=job, on_stored=on_stored)


def quarterly_set_targets() -> list[Organization]:
    """The region (its ministry) and every municipality (its office)."""
    return [o for o in [sources.region_organization()] if o] + list(sources.municipal_offices())


def quarterly_set_render(*, quarter: Quarter, user=None, progress=None, job=None) -> list[ReportArchive]:
    """The region's report and every municipality's, for the quarter.

    Within a job the set is rendered exactly once: an organization whose report this job has already stored
    (an earlier attempt, cut short by a lost worker) is not rendered again. Each report is stored in one commit
    with the job named on its row, under the job's row lock and only while this attempt still owns the job.
    """
    stored = stored_by_job(job)
    hold = (lambda report: job_hold(job)) if job is not None else None
    targets, reports = quarterly_set_targets(), []
    for index, organization in enumerate(targets):
        if progress:
            progress(f"Отчёт: {organization.short_name}", int(100 * index / max(1, len(targets))))
        report = stored.get(organization.pk)
        if report is None:
            report = quarterly_render(organization=organization, quarter=quarter, user=user, job=job, on_stored=hold)
        reports.append(report)
    return reports


def stored_by_job(job) -> dict[int, ReportArchive]:
    """The reports a job has stored, by organization id (none outside a job)."""
    if job is None:
        return {}
    return {report.organization_id: report for report in ReportArchive.objects.filter(job=job)}


# --- jobs -------------------------------------------------------------------------------------------------

def report_job_create(*, user, kind: str, organization: Organization | None = None, quarter: Quarter | None = None,
                      procedure: Procedure | None = None, campaign: Campaign | None = None):
    if kind == ReportKind.QUARTERLY:
        title, params = f"Квартальный отчёт: {organization.short_name}, {quarter.title}", {
            "kind": kind, "organization": organization.pk, "quarter": quarter.code}
    elif kind == ReportKind.CAMPAIGN:
        title, params = f"Сводка перепроверки работ: {campaign.title}, {organization.short_name}", {
            "kind": kind, "organization": organization.pk, "campaign": campaign.pk}
    else:
        title, params = f"Аналитический отчёт: {procedure.code}", {"kind": kind, "procedure": procedure.pk}
    return job_create(kind="report", title=title, handler="reports.services.report_job", user=user,
                      organization=organization, params=params)


def report_job(job, progress) -> dict:
    params = job.params
    progress("Сбор данных и построение графиков", 10)
    finish = lambda report: job_finish(job, result=report_job_result(report))  # noqa: E731
    try:
        if params["kind"] == ReportKind.QUARTERLY:
            report = quarterly_render(organization=Organization.objects.get(pk=params["organization"]),
                                      quarter=Quarter.parse(params["quarter"]), user=job.created_by, job=job,
                                      on_stored=finish)
        elif params["kind"] == ReportKind.CAMPAIGN:
            report = campaign_render(campaign=Campaign.objects.get(pk=params["campaign"]),
                                     organization=Organization.objects.get(pk=params["organization"]),
                                     user=job.created_by, job=job, on_stored=finish)
        else:
            report = procedure_render(procedure=Procedure.objects.get(pk=params["procedure"]), user=job.created_by,
                                      job=job, on_stored=finish)
    except rendering.charts.ChartRenderError as exc:
        raise JobError(str(exc)) from exc
    except ValueError as exc:
        raise JobError(str(exc)) from exc
    progress("Готово", 100)
    return report_job_result(report)


def report_job_result(report: ReportArchive) -> dict:
    return {"summary": f"{report.title}: версия {report.version} сохранена в архиве.", "report": report.pk,
            "version": report.version, "title": report.title, "url": reverse("reports:archive_download", args=[report.pk])}


def quarterly_set_job(job, progress) -> dict:
    """The scheduled set (reports.tasks.quarterly_set); a rerun of the job renders only what it has not stored."""
    earlier = len(stored_by_job(job))
    reports = quarterly_set_render(quarter=Quarter.parse(job.params["quarter"]), progress=progress, job=job)
    summary = f"Сформировано отчётов: {len(reports)}."
    if earlier:
        summary += f" Задание перезапускалось; сохранены до перезапуска и заново не формировались: {earlier}."
    return {"summary": summary, "reports": [r.pk for r in reports], "count": len(reports), "resumed": earlier}


# --- recommendations ---------------------------------------------------------------------------------------

def recommendation_save(*, actor, procedure: Procedure, text: str) -> ProcedureRecommendation:
    with transaction.atomic():
        recommendation, created = ProcedureRecommendation.objects.select_for_update().get_or_create(procedure=procedure)
        before = None if created else snapshot(recommendation)
        recommendation.text = text.strip()
        recommendation.updated_by = actor
        recommendation.save()
        audit_record(actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE, instance=recommendation, before=before, source="форма")
    return recommendation
