"""Reads of the fieldwork app, already scoped to the user: pages, API and exports all come through here."""
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Prefetch, Q

from assessments.choices import ParticipantStatus
from assessments.models import ParticipantResult, Procedure, ProcedureSchool
from rsoko.orgs.access import scope_for

from . import benchmark, scoring, signs
from .models import Assignment, Campaign, CampaignSchool, Expert, ObserverAssignment, Work

CONTACT_FIELDS = ("phone", "email")


def can_see_contacts(user) -> bool:
    """Experts' personal contacts are for the assessment centre and the ministry only."""
    return scope_for(user).can("fieldwork.contacts")


def experts_for(user):
    return (Expert.objects.visible_to(user).select_related("organization__municipality", "user")
            .prefetch_related("subjects").annotate(assignment_count=Count("assignments")))


def expert_rows(user, experts=None) -> list[dict]:
    """The bank as rows for tables and exports; contacts are left out unless the user may read them."""
    contacts = can_see_contacts(user)
    rows = []
    for expert in experts if experts is not None else experts_for(user):
        row = {
            "code": expert.code, "full_name": expert.full_name,
            "subjects": ", ".join(s.name for s in expert.subjects.all()),
            "qualification": expert.get_qualification_display(), "position": expert.position,
            "organization": expert.organization.short_name if expert.organization else "",
            "municipality": str(expert.organization.municipality or "") if expert.organization else "",
            "active": expert.is_active,
        }
        if contacts:
            row.update(phone=expert.phone, email=expert.email)
        rows.append(row)
    return rows


def campaigns_for(user):
    return Campaign.objects.visible_to(user).select_related("procedure__subject", "procedure__kind").annotate(
        school_count=Count("schools", distinct=True), work_count=Count("works", distinct=True))


def campaign_schools_for(user, campaign: Campaign):
    return (CampaignSchool.objects.visible_to(user).filter(campaign=campaign)
            .select_related("school__municipality", "checker_school"))


def works_frame(works) -> pd.DataFrame:
    columns = ["school_id", "school_primary", "final_primary", "school_mark", "final_mark", "discrepant"]
    rows = [(w.campaign_school.school_id, w.school_primary, w.final_primary, w.school_mark, w.final_mark,
             w.discrepant) for w in works]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"school_primary": float, "final_primary": float, "school_mark": float, "final_mark": float})


def campaign_results(user, campaign: Campaign) -> list[dict]:
    """Per school within the user's scope: drawn, checked, share with changed mark, mean shift, direction,
    and the re-check sign row."""
    members = list(campaign_schools_for(user, campaign))
    works = Work.objects.filter(campaign_school__in=members).select_related("campaign_school")
    frame = works_frame(works)
    if frame.empty:
        return [{"member": m, "drawn": 0, "checked": 0, "changed_share": None, "mean_shift": None,
                 "direction": scoring.direction_label(None), "discrepant": 0, "sign": None} for m in members]
    per_school = scoring.school_results(frame).set_index("school_id")
    sign_rows = signs.recheck_disagreement_sign(frame, recheck_params(campaign)).set_index("school_id")
    result = []
    for member in members:
        stats = per_school.loc[member.school_id] if member.school_id in per_school.index else None
        sign = sign_rows.loc[member.school_id].to_dict() if member.school_id in sign_rows.index else None
        result.append({
            "member": member,
            "drawn": int(stats["drawn"]) if stats is not None else 0,
            "checked": int(stats["checked"]) if stats is not None else 0,
            "changed_share": _number(stats, "changed_share"),
            "mean_shift": _number(stats, "mean_shift"),
            "direction": stats["direction"] if stats is not None else scoring.direction_label(None),
            "discrepant": int(stats["discrepant"]) if stats is not None else 0,
            "sign": sign,
        })
    return result


def _number(stats, key):
    if stats is None or pd.isna(stats[key]):
        return None
    return round(float(stats[key]), 2)


def recheck_params(campaign: Campaign) -> signs.RecheckParams:
    return signs.RecheckParams(min_works=campaign.min_works, changed_share_threshold=float(campaign.sign_threshold))


def recheck_signs(procedure: Procedure) -> pd.DataFrame:
    """The re-check sign of every school checked in this procedure's re-check campaigns (for analytics)."""
    frames = []
    for campaign in Campaign.objects.filter(procedure=procedure):
        works = Work.objects.filter(campaign=campaign).select_related("campaign_school")
        frame = works_frame(works)
        if not frame.empty:
            frames.append(signs.recheck_disagreement_sign(frame, recheck_params(campaign)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=signs.SIGN_COLUMNS)


def works_waiting_for_third(campaign: Campaign) -> int:
    """Works whose experts disagreed while no third expert was free."""
    return (campaign.works.filter(third_called=True, final_primary__isnull=True)
            .exclude(assignments__order=3).count())


def flagged_school_ids(procedure: Procedure) -> list[int]:
    """Schools with a flagged objectivity sign for this procedure (or a year-level sign of its year)."""
    from assessments.stats.models import ObjectivitySign

    signs_here = Q(procedure=procedure) | Q(procedure__isnull=True, year=procedure.year)
    return sorted(set(ObjectivitySign.objects.filter(signs_here, flagged=True).values_list("school_id", flat=True)))


def campaign_works_for_manager(campaign: Campaign):
    return (campaign.works.select_related("campaign_school__school")
            .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.select_related("expert"))))


def assignments_for(user):
    """An expert's own assignments: codes only, never the school's other works."""
    return (Assignment.objects.visible_to(user)
            .select_related("work__campaign__procedure__subject")
            .order_by("submitted_at", "work__campaign_id", "work__participant_code"))


def expert_campaigns(user):
    return Campaign.objects.filter(works__assignments__in=Assignment.objects.visible_to(user)).distinct()


def observers_for(user):
    return (ObserverAssignment.objects.visible_to(user)
            .select_related("procedure__subject", "school__municipality", "sent_by", "report"))


def controlled_sample(procedure: Procedure, user):
    condition = Q()
    scope = scope_for(user, "observers.view")
    if not scope.region_wide:
        condition = Q(school_id__in=scope.school_ids) | Q(school__municipality_id__in=scope.municipality_ids)
    return (ProcedureSchool.objects.filter(procedure=procedure).filter(condition)
            .select_related("school__municipality").order_by("school__short_name"))


def region_figures(procedure: Procedure) -> dict:
    """Region figures with and without the controlled sample: all schools vs controlled schools only.

    Region-level aggregates, no pupil rows: the analytics pages may show them to anyone who sees the region.
    """
    controlled_ids = set(ProcedureSchool.objects.filter(procedure=procedure).exclude(control="")
                         .values_list("school_id", flat=True))
    rows = (ParticipantResult.objects.active().filter(procedure=procedure, status=ParticipantStatus.PRESENT)
            .values_list("school_id", "primary_score", "mark"))
    frame = pd.DataFrame(list(rows), columns=["school_id", "primary_score", "mark"])
    frame = frame.astype({"primary_score": float, "mark": float})
    frame["controlled"] = frame["school_id"].isin(controlled_ids)
    return benchmark.with_and_without_controlled(frame)


@dataclass(frozen=True)
class TaskCriterion:
    """What the expert checks in one task: the codifier's wording, codes, level and maximum score."""

    label: str
    max_score: int | None
    skill: str = ""
    block: str = ""
    kes_codes: str = ""
    kt_codes: str = ""
    level: str = ""


def task_criteria(campaign: Campaign, width: int) -> list[TaskCriterion]:
    """The procedure's codifier rows in task order; numbered tasks without wording when none was loaded."""
    tasks = list(campaign.procedure.tasks.order_by("position"))
    if not tasks:
        return [TaskCriterion(str(i), None) for i in range(1, width + 1)]
    return [TaskCriterion(t.label, t.max_score, t.skill, t.block, t.kes_codes, t.kt_codes, t.get_level_display())
            for t in tasks]
