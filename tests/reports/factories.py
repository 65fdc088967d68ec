"""Report fixtures built lazily on the `world` (the permission matrix and the tests share them)."""
from django.core.files.base import ContentFile

from reports.models import ReportArchive, ReportKind


def archived(world, organization, *, kind=ReportKind.QUARTERLY, period="2021Q2", procedure=None,
             campaign=None) -> ReportArchive:
    """A small archived PDF for the organization (get_or_create, so URL lambdas may call it repeatedly)."""
    cache = world.__dict__.setdefault("archived_reports", {})
    key = (organization.pk, kind, period, getattr(procedure, "pk", None), getattr(campaign, "pk", None))
    if key not in cache:
        report = ReportArchive(kind=kind, organization=organization, period=period, procedure=procedure,
                               campaign=campaign, version=1, size=9, parameters={"test": True})
        report.file.save(f"test-{organization.code}.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
        report.save()
        cache[key] = report
    return cache[key]


def archived_summary(world, organization, campaign) -> ReportArchive:
    """An archived re-check campaign summary filed under the organization."""
    return archived(world, organization, kind=ReportKind.CAMPAIGN, period="", campaign=campaign)
