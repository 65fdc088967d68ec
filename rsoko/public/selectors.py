"""Reads behind the public pages, feeds and JSON. Everything returned here may be shown to anyone.

The calendar reads the procedure catalog directly. The aggregated results and the objectivity index
come from the precomputed statistic tables of assessments' analytics; until those tables exist these
functions return empty results (never invented figures), and the pages say that results are not yet
published. Whoever wires them must pass every row through `suppression.suppress_small_groups` and the
whole answer through `suppression.ensure_public`.
"""
from calendar import monthrange
from datetime import date

from django.db.models import Q
from django.utils import timezone

from assessments.choices import ProcedureStatus
from assessments.models import Procedure

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


def region_results(procedure: Procedure) -> dict | None:
    """Region-level aggregates of a finished procedure, or None while they are not computed.

    Shape once wired: {"participants": int, "absent": int, "marks": {"2": %, "3": %, "4": %, "5": %},
    "success": % of «3»–«5», "quality": % of «4»–«5», "mean_primary": float} — percentages of present
    participants, rounded to one decimal. None also when fewer than MIN_PUBLIC_GROUP took part.
    """
    return None


def municipality_results(procedure: Procedure) -> list[dict]:
    """Municipality rows of a finished procedure, in name order; [] while not computed.

    Each row once wired: {"code", "name", "participants", "marks", "success", "quality"} passed through
    suppress_small_groups (a municipality under 10 pupils keeps only its name, with suppressed=True).
    School-level rows are never returned here: a school is public only if the ministry publishes it.
    """
    return []


def objectivity_index(*, year: int) -> dict | None:
    """The region objectivity index for a year, or None while the signs are not computed.

    Shape once wired: {"year": int, "index": float (100 − % of schools with at least one sign),
    "schools": int, "schools_with_signs": int, "procedures": [codes the index was computed from]}.
    Named schools are never listed publicly: signs "need further analysis", they are not verdicts.
    """
    return None


def public_roadmaps() -> list[dict]:
    """Roadmaps the ministry marks public ({"title", "level", "url"}); [] until the roadmaps app offers them."""
    return []
