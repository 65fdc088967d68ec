"""The printed summary of a re-check (or cross-check) campaign, read through the fieldwork selectors.

The summary is made for an organization, like the quarterly report: the region (every school of the campaign),
a municipality (its schools) or a school (itself). Its per-school figures are the rows of the campaign page,
from the same selector; who may order which one is decided by `organizations_for`.
"""
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from assessments.fieldwork import selectors as fieldwork
from assessments.fieldwork.choices import CampaignKind, Qualification
from assessments.fieldwork.models import Assignment, Campaign, CampaignSchool, Work
from assessments.stats.models import Level
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization

from . import sources

# The qualification category in a table column: the full name («Высшая квалификационная категория») takes three lines.
CATEGORY = {Qualification.HIGHEST: "высшая", Qualification.FIRST: "первая", Qualification.NONE: "без категории"}
CHART_MAX_SCHOOLS = 40  # beyond that the bars get too thin to read; the table still lists every school


def organizations_for(user, campaign: Campaign) -> list[Organization]:
    """Whose summary this user may order: the region's for region-wide roles; otherwise the user's own
    municipalities (their offices) and schools that take part in the campaign — what the campaign page shows."""
    scope = scope_for(user, "fieldwork.view_results")
    if not scope.can("fieldwork.view_results"):
        return []
    if scope.region_wide:
        region = sources.region_organization()
        return [region] if region else []
    members = CampaignSchool.objects.filter(campaign=campaign)
    municipality_ids = set(members.filter(school__municipality_id__in=scope.municipality_ids)
                           .values_list("school__municipality_id", flat=True))
    school_ids = set(members.filter(school_id__in=scope.school_ids).values_list("school_id", flat=True))
    offices = sources.municipal_offices().filter(municipality_id__in=municipality_ids)
    schools = Organization.objects.filter(pk__in=school_ids).exclude(municipality_id__in=municipality_ids)
    return [*offices, *schools.order_by("short_name")]


@dataclass
class Totals:
    schools: int = 0
    population: int = 0
    drawn: int = 0
    checked: int = 0
    discrepant: int = 0
    third_called: int = 0
    third_waiting: int = 0
    evaluated: int = 0
    flagged: int = 0


def school_rows(campaign: Campaign, group) -> list[dict]:
    """The campaign page's rows (fieldwork.selectors.campaign_results) for the schools of the group."""
    schools = set(sources.schools_of(group).values_list("pk", flat=True))
    rows = fieldwork.campaign_results(sources.SystemReader(), campaign)
    return sorted((row for row in rows if row["member"].school_id in schools),
                  key=lambda row: (str(row["member"].school.municipality or ""),
                                   sources.natural_key(row["member"].school.short_name)))


def works_of(campaign: Campaign, rows: list[dict]):
    return Work.objects.filter(campaign=campaign, campaign_school__in=[row["member"] for row in rows])


def totals(campaign: Campaign, rows: list[dict]) -> Totals:
    works = works_of(campaign, rows).aggregate(
        third=Count("id", filter=Q(third_called=True)),
        waiting=Count("id", filter=Q(third_called=True, final_primary__isnull=True)))
    signs = [row["sign"] for row in rows if row["sign"]]
    return Totals(schools=len(rows), population=sum(row["member"].population for row in rows),
                  drawn=sum(row["drawn"] for row in rows), checked=sum(row["checked"] for row in rows),
                  discrepant=sum(row["discrepant"] for row in rows), third_called=works["third"],
                  third_waiting=works["waiting"], evaluated=sum(1 for s in signs if s["evaluated"]),
                  flagged=sum(1 for s in signs if s["flagged"]))


def disputed_works(campaign: Campaign, rows: list[dict]) -> list[Work]:
    """Works settled beyond the thresholds against the school, or that needed a third expert."""
    return list(works_of(campaign, rows).filter(Q(discrepant=True) | Q(third_called=True))
                .select_related("campaign_school__school")
                .order_by("campaign_school__school__short_name", "participant_code"))


def expert_rows(campaign: Campaign, rows: list[dict]) -> list[dict]:
    """Who checked, how many checks each (first and second, third), how many submitted. Printed by name in the
    region's summary only: a municipality or a school does not learn who checked its works."""
    checks = (Assignment.objects.filter(work__in=works_of(campaign, rows))
              .select_related("expert__organization").order_by("expert__full_name"))
    experts, counts = {}, Counter()
    for check in checks:
        experts[check.expert_id] = check.expert
        counts[(check.expert_id, "third" if check.order == 3 else "regular")] += 1
        counts[(check.expert_id, "submitted")] += check.submitted_at is not None
    return [{"expert": expert, "category": CATEGORY.get(expert.qualification, expert.get_qualification_display()),
             "workplace": workplace(expert.organization), "regular": counts[(pk, "regular")],
             "third": counts[(pk, "third")], "submitted": counts[(pk, "submitted")]} for pk, expert in experts.items()]


def workplace(organization: Organization | None) -> str:
    """«МБОУ СОШ № 1, Устинский район»: school names repeat from one municipality to the next."""
    if organization is None:
        return ""
    municipality = organization.municipality.name if organization.municipality_id else ""
    return f"{organization.short_name}, {municipality}" if municipality else organization.short_name


def changed_share_chart(rows: list[dict], threshold: int) -> dict | None:
    """Per school, the share of checked works whose mark the experts changed, against the sign's threshold."""
    checked = [row for row in rows if row["changed_share"] is not None]
    if not checked or len(checked) > CHART_MAX_SCHOOLS:
        return None
    # With the code: school names repeat across municipalities («МБОУ СОШ № 8» in two of them).
    names = [f"{row['member'].school.short_name} · {row['member'].school.code}" for row in reversed(checked)]
    option = {
        "grid": {"left": 10, "right": 40, "top": 26, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "name": "% проверенных работ", "nameLocation": "middle", "nameGap": 26,
                  "max": 100},
        "yAxis": {"type": "category", "data": names},
        "series": [{"type": "bar", "name": "Изменена отметка", "barMaxWidth": 18,
                    "data": [round(row["changed_share"]) for row in reversed(checked)],
                    "label": {"show": True, "position": "right", "formatter": "{c} %"},
                    "markLine": {"symbol": "none", "data": [{"xAxis": threshold}],
                                 "lineStyle": {"type": "dashed", "color": "#1b2430"},
                                 "label": {"formatter": f"порог {threshold} %", "position": "end"}}}],
    }
    return {"option": option, "height": 96 + 26 * len(checked)}


@dataclass
class CampaignCharts:
    """The summary's charts in the shape `rendering.attach_charts` draws: (title, option) pairs, then SVGs."""

    charts: list
    svgs: list | None = None


def campaign_context(campaign: Campaign, organization: Organization) -> dict:
    group = sources.group_for(organization)
    rows = school_rows(campaign, group)
    chart = changed_share_chart(rows, campaign.sign_threshold)
    return {
        "campaign": campaign, "organization": organization, "group": group, "is_region": group.level == Level.REGION,
        "is_cross": campaign.kind == CampaignKind.CROSS, "subject_title": sources.subject_title(group),
        "procedure_label": sources.procedure_label(campaign.procedure), "rows": rows,
        "totals": totals(campaign, rows), "disputed": disputed_works(campaign, rows),
        "experts": expert_rows(campaign, rows),
        "charts": CampaignCharts([("Доля проверенных работ с изменённой отметкой, %", chart)] if chart else []),
    }


def campaign_figures(context: dict) -> dict:
    """The printed per-school figures (for the archive's parameters and the tests)."""
    return {"campaign": context["campaign"].pk, "organization": context["organization"].code,
            "schools": {row["member"].school.code: {"drawn": row["drawn"], "checked": row["checked"],
                                                    "changed_share": row["changed_share"],
                                                    "mean_shift": row["mean_shift"],
                                                    "flagged": bool(row["sign"] and row["sign"]["flagged"])}
                        for row in context["rows"]},
            "flagged": context["totals"].flagged}
