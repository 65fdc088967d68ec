"""Reads behind the public pages, feeds and JSON. Everything returned here may be shown to anyone.

The calendar reads the procedure catalog directly. The aggregated results and the objectivity index
read the precomputed tables of assessments.stats (form «marks» at region and municipality level, the
yearly ObjectivityIndex); where nothing is computed they return empty results (never invented figures)
and the pages say that results are not yet published. Every row passes `suppress_small_groups`, every
answer `ensure_public`.
"""
from calendar import monthrange
from datetime import date

from django.db.models import Q
from django.utils import timezone

from assessments.choices import ProcedureStatus
from assessments.models import Procedure
from assessments.stats.models import Form, Level, ObjectivityIndex, StatisticRow

from .suppression import MIN_PUBLIC_GROUP, ensure_public, suppress_small_groups

FINISHED_STATUSES = (ProcedureStatus.LOADED, ProcedureStatus.ANALYSED)


def current_year() -> int:
    return timezone.localdate().year


def calendar_procedures(*, year: int, month: int | None = None, kind: str = "", level: str = ""):
    """Procedures of a calendar year that have dates; month keeps those running in that month.

    kind is a ProcedureKind slug (VPR, RPR…), level a ProcedureLevel value (federal/regional/municipal).
    """
    procedures = (Procedure.objects.filter(date_start__isnull=False)
                  .filter(Q(date_start__year=year) | Q(date_end__year=year))
                  .select_related("kind", "subject").order_by("date_start", "kind__order", "subject__name", "grade"))
    if month:
        first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
        procedures = procedures.filter(date_start__lte=last).filter(
            Q(date_end__gte=first) | Q(date_end__isnull=True, date_start__gte=first))
    if kind:
        procedures = procedures.filter(kind__slug=kind)
    if level:
        procedures = procedures.filter(kind__level=level)
    return procedures


def calendar_entry(procedure: Procedure) -> dict:
    """The public description of one procedure (the same in pages, feeds and JSON)."""
    return {
        "code": procedure.code,
        "title": str(procedure),
        "kind": procedure.kind.code,
        "kind_name": procedure.kind.name,
        "level": procedure.kind.level,
        "level_name": procedure.kind.get_level_display(),
        "subject": procedure.subject.name,
        "grade": procedure.grade,
        "year": procedure.year,
        "date_start": procedure.date_start,
        "date_end": procedure.date_end or procedure.date_start,
        "status": procedure.status,
        "status_name": procedure.get_status_display(),
        "results_published": procedure.status in FINISHED_STATUSES and region_results(procedure) is not None,
    }


def calendar_years() -> list[int]:
    years = set(Procedure.objects.filter(date_start__isnull=False).values_list("date_start__year", flat=True))
    return sorted(years | {current_year()})


def finished_procedures(*, year: int | None = None):
    """Procedures whose results are loaded; their aggregates are public once computed."""
    procedures = Procedure.objects.filter(status__in=FINISHED_STATUSES).select_related("kind", "subject")
    return procedures.filter(year=year) if year else procedures


def marks_figures(participants: int, data: dict) -> dict:
    """The public part of a «marks» statistic row: shares of marks, success and quality, one decimal."""
    share = lambda key: round(data[key], 1) if data.get(key) is not None else None  # noqa: E731
    return {
        "participants": participants,
        "marks": {mark: share(f"pct_{mark}") for mark in ("2", "3", "4", "5")},
        "success": share("success_pct"),
        "quality": share("quality_pct"),
        "mean_primary": round(data["mean_primary_score"], 2) if data.get("mean_primary_score") is not None else None,
    }


def marks_rows(procedure: Procedure, level: str):
    return StatisticRow.objects.filter(procedure=procedure, form=Form.MARKS, level=level)


def region_results(procedure: Procedure) -> dict | None:
    """Region-level aggregates of a finished procedure, or None while they are not computed.

    {"participants": int, "marks": {"2": %, "3": %, "4": %, "5": %}, "success": % of «3»–«5»,
    "quality": % of «4»–«5», "mean_primary": float}; None also when fewer than MIN_PUBLIC_GROUP took part.
    """
    row = marks_rows(procedure, Level.REGION).first()
    if row is None or row.participants < MIN_PUBLIC_GROUP:
        return None
    return ensure_public(marks_figures(row.participants, row.data))


def municipality_results(procedure: Procedure) -> list[dict]:
    """Municipality rows of a finished procedure in name order; [] while not computed.

    Each row: {"code", "name", "participants", "marks", "success", "quality", "mean_primary", "suppressed"};
    a municipality under 10 pupils keeps only its code and name, with suppressed=True, and so does the next
    smallest where needed so that the region's figures minus the shown ones disclose no hidden municipality.
    School-level rows are never returned here: a school is public only if the ministry publishes it.
    """
    rows = marks_rows(procedure, Level.MUNICIPALITY).select_related("municipality").order_by("municipality__name")
    public = [{"code": row.municipality.code, "name": row.municipality.name, **marks_figures(row.participants, row.data)}
              for row in rows if row.municipality_id]
    region = marks_rows(procedure, Level.REGION).first()
    return ensure_public(suppress_small_groups(public, total=region.participants if region else 0))


def objectivity_years() -> list[int]:
    return sorted(ObjectivityIndex.objects.filter(procedure__isnull=True).values_list("year", flat=True))


def objectivity_index(*, year: int) -> dict | None:
    """The region objectivity index for a year, or None while the signs are not computed.

    {"year", "index": 100 − % of evaluated schools with at least one sign, "schools", "schools_with_signs",
    "procedures": [{"code", "title", "index"}] of the procedures it was computed from}.
    Named schools are never listed publicly: signs "need further analysis", they are not verdicts.
    """
    from assessments.stats.selectors import FEDERAL_INDEX_DEFINITION, federal_index

    overall = federal_index(year)
    if overall is None:
        return None
    per_procedure = (ObjectivityIndex.objects.filter(year=year, procedure__isnull=False, index__isnull=False)
                     .select_related("procedure").order_by("procedure__code"))
    return ensure_public({
        "year": year, "index": round(overall.index, 1), "definition": FEDERAL_INDEX_DEFINITION,
        "schools": overall.evaluated_schools,
        "schools_with_signs": overall.schools_with_signs,
        "procedures": [{"code": item.procedure.code, "title": str(item.procedure), "index": round(item.index, 1)}
                       for item in per_procedure],
    })


def public_roadmaps():
    """Roadmaps the ministry marks public (is_public), approved ones and archived ones, never templates or drafts."""
    from roadmaps.choices import Approval
    from roadmaps.models import Roadmap

    return (Roadmap.objects.filter(is_public=True, is_template=False, approval__in=[Approval.APPROVED, Approval.ARCHIVED])
            .select_related("owner").order_by("-period_first_year", "level", "title"))


def public_roadmap_items(roadmap) -> list:
    """The measures of a public roadmap as written in the document (no execution statuses or comments)."""
    return list(roadmap.items.order_by("number_key", "position").only(
        "number", "depth", "is_section", "measure", "expected_result", "executors_text", "deadline_text"))
