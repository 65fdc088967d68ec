"""Selectors that read the precomputed tables into the frames `monitoring.compute` works on.

One query per source (grouped in the database where the table is large), so refreshing the
indicators costs the same number of queries however many schools the region has.
"""
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.db.models import Count, Max

from assessments.choices import ControlKind
from assessments.fieldwork.models import CampaignSchool, ObserverReport
from assessments.models import ParticipantResult, ProcedureSchool, municipal_q
from assessments.stats.models import (FederalMark, ObjectivityCriterion, ObjectivitySign, RiskPupil,
                                      SchoolListEntry, StatisticRow)
from roadmaps.models import Assignment, ReportingRound
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization


# A municipal procedure (МПР) is one municipality's own work by its own КИМ, often written by its weakest schools
# only: its results, signs and risk groups stay out of the indicators that compare the region's schools.
MUNICIPAL = municipal_q("procedure__")


def frame(rows, columns) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=columns)


@dataclass
class Sources:
    """Everything the built-in indicators of one year (or quarter) are computed from."""

    year: int
    today: date
    schools: pd.DataFrame = field(default=None)
    marks: pd.DataFrame = field(default=None)
    journal: pd.DataFrame = field(default=None)
    results: pd.DataFrame = field(default=None)
    signs: pd.DataFrame = field(default=None)
    official_criteria: set = field(default_factory=set)
    federal: pd.DataFrame = field(default=None)
    lists: pd.DataFrame = field(default=None)
    risk: pd.DataFrame = field(default=None)
    assignments: pd.DataFrame = field(default=None)
    reporters: pd.DataFrame = field(default=None)
    participations: pd.DataFrame = field(default=None)
    observations: pd.DataFrame = field(default=None)
    rechecked: set = field(default_factory=set)


def schools_frame() -> pd.DataFrame:
    rows = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True).values_list("id", "municipality_id")
    return frame(rows, ["school_id", "municipality_id"])


MARK_KEYS = ["count_2", "count_3", "count_4", "count_5", "marked", "mean_score_pct"]


def marks_frame(year: int) -> pd.DataFrame:
    # in a fixed order: the indicators sum floats, and a sum in another order differs in its last digits
    rows = (StatisticRow.objects.filter(form="marks", level="school", procedure__year=year).order_by("pk")
            .values_list("procedure__kind__code", "school_id", "municipality_id", "participants", "data"))
    records = [{"kind": kind, "school_id": school, "municipality_id": mun, "participants": n,
                **{k: data.get(k) for k in MARK_KEYS}} for kind, school, mun, n, data in rows]
    out = pd.DataFrame(records, columns=["kind", "school_id", "municipality_id", "participants", *MARK_KEYS])
    return out.astype({k: float for k in MARK_KEYS}).fillna({k: 0 for k in MARK_KEYS[:5]})


def journal_frame(year: int) -> pd.DataFrame:
    rows = (StatisticRow.objects.filter(form="journal", level="school", procedure__year=year).order_by("pk")
            .values_list("procedure__kind__code", "school_id", "municipality_id", "data"))
    return frame(((k, s, m, d.get("confirmed") or 0, d.get("compared") or 0) for k, s, m, d in rows),
                 ["kind", "school_id", "municipality_id", "confirmed", "compared"])


def results_frame(year: int) -> pd.DataFrame:
    """Present and absent participants per school, counted in the database."""
    rows = (ParticipantResult.objects.active().filter(procedure__year=year).exclude(MUNICIPAL)
            .values("school_id", "school__municipality_id", "status").annotate(n=Count("id")))
    data = frame(((r["school_id"], r["school__municipality_id"], r["status"], r["n"]) for r in rows),
                 ["school_id", "municipality_id", "status", "n"])
    if data.empty:
        return pd.DataFrame(columns=["school_id", "municipality_id", "present", "absent"])
    wide = data.pivot_table(index=["school_id", "municipality_id"], columns="status", values="n", aggfunc="sum",
                            fill_value=0).reset_index()
    for status in ("present", "absent"):
        if status not in wide:
            wide[status] = 0
    return wide[["school_id", "municipality_id", "present", "absent"]]


def signs_frame(year: int) -> pd.DataFrame:
    """The year's signs; `official_procedure` marks those the federal index reads (ВПР Русский язык and Математика,
    grades 4–5, and the cohort rule over them), as the region's stored year index does."""
    from assessments.stats.services import official_procedures

    official = set(official_procedures(year).values_list("id", flat=True))
    rows = ObjectivitySign.objects.filter(year=year).exclude(MUNICIPAL).values_list(
        "school_id", "school__municipality_id", "criterion", "evaluated", "flagged", "procedure_id")
    return frame(((school, municipality, criterion, evaluated, flagged, procedure is None or procedure in official)
                  for school, municipality, criterion, evaluated, flagged, procedure in rows),
                 ["school_id", "municipality_id", "criterion", "evaluated", "flagged", "official_procedure"])


def official_criteria() -> set:
    return set(ObjectivityCriterion.objects.filter(is_official=True, is_active=True).values_list("code", flat=True))


def federal_frame(year: int) -> pd.DataFrame:
    return frame(FederalMark.objects.filter(year__in=[year, year - 1]).values_list("school_id", "year"),
                 ["school_id", "year"])


def lists_frame(year: int) -> pd.DataFrame:
    rows = SchoolListEntry.objects.filter(year__in=[year, year - 1]).values_list("school_id", "year", "kind", "data")
    return frame(((s, y, k, bool(d.get("selected", True)), d.get("mean_pct")) for s, y, k, d in rows),
                 ["school_id", "year", "kind", "selected", "mean_pct"])


def risk_frame(year: int) -> pd.DataFrame:
    rows = RiskPupil.objects.filter(procedure__year=year).exclude(MUNICIPAL).values("school_id").annotate(pupils=Count("id"))
    return frame(((r["school_id"], r["pupils"]) for r in rows), ["school_id", "pupils"])


def assignments_frame(today: date) -> pd.DataFrame:
    """Each assignment's status as of `today` (a frozen quarter: its last day), as the quarterly report reads it."""
    from roadmaps.selectors import statuses_as_of

    states = statuses_as_of(Assignment.objects.filter(item__is_section=False), today)
    return frame(((a.organization_id if a.organization.kind == OrgKind.SCHOOL else None, a.organization.municipality_id,
                   status) for a, status, _ in states), ["school_id", "municipality_id", "status"])


def reporters_frame(today: date) -> pd.DataFrame:
    """Offices due in the last reporting round that has passed its due date, and whether they were on time."""
    columns = ["organization_id", "municipality_id", "on_time"]
    last = ReportingRound.objects.filter(due__lte=today).order_by("-due", "-id").first()
    if last is None:
        return pd.DataFrame(columns=columns)
    offices = Assignment.objects.filter(item__roadmap_id=last.roadmap_id, organization__kind=OrgKind.MUNICIPAL_OFFICE) \
        .order_by().values_list("organization_id", "organization__municipality_id").distinct()
    submitted = dict(last.submissions.values_list("organization_id").annotate(at=Max("submitted_at")))
    return frame(((org, mun, org in submitted and submitted[org].date() <= last.due) for org, mun in offices), columns)


def participations_frame(year: int) -> pd.DataFrame:
    rows = ProcedureSchool.objects.filter(procedure__year=year).exclude(MUNICIPAL).values_list(
        "school_id", "school__municipality_id", "control")
    return frame(((s, m, bool(c)) for s, m, c in rows), ["school_id", "municipality_id", "controlled"])


def observations_frame(year: int) -> pd.DataFrame:
    """Observers' reports of the year's procedures: did the report note any violation."""
    rows = ObserverReport.objects.filter(assignment__procedure__year=year).values_list(
        "assignment__school_id", "assignment__school__municipality_id", "violations")
    return frame(((s, m, bool(v)) for s, m, v in rows), ["school_id", "municipality_id", "violations"])


def rechecked_schools(year: int) -> set:
    """Schools whose works of the year were checked again: a re-check or cross-check campaign, or writing
    under independent or federal checking."""
    campaigns = CampaignSchool.objects.filter(campaign__procedure__year=year).values_list("school_id", flat=True)
    controlled = ProcedureSchool.objects.filter(
        procedure__year=year, control__in=[ControlKind.INDEPENDENT_CHECK, ControlKind.FEDERAL_CHECK]
    ).values_list("school_id", flat=True)
    return set(campaigns) | set(controlled)


def sources_for(year: int, today: date) -> Sources:
    return Sources(
        year=year, today=today, schools=schools_frame(), marks=marks_frame(year), journal=journal_frame(year),
        results=results_frame(year), signs=signs_frame(year), official_criteria=official_criteria(),
        federal=federal_frame(year), lists=lists_frame(year), risk=risk_frame(year),
        assignments=assignments_frame(today), reporters=reporters_frame(today), participations=participations_frame(year),
        observations=observations_frame(year), rechecked=rechecked_schools(year),
    )
