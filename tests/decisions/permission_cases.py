"""Every decisions route × every persona: a regional decision about school А1 and a municipal one of МОУО Б."""
from datetime import date

from tests.permission_matrix import API_REACH, SIGNED_IN, api, page

VIEWERS = [p for p in SIGNED_IN if p != "expert"]
MANAGERS = ["ministry", "coordinator"]


def decision_about(w, number, owner, school):
    from decisions.models import Decision
    from monitoring.models import Indicator

    decision, created = Decision.objects.get_or_create(
        order_number=number, defaults={"owner": owner, "order_date": date(2025, 9, 1),
                                       "title": f"О школе {school.short_name}", "mechanism": "1.2"})
    if created:
        decision.indicators.set(Indicator.objects.filter(code="vpr_quality"))
        decision.schools.set([school])
    return decision


def regional(w):
    return decision_about(w, "101", w.ministry_org, w.school_a1)


def municipal_b(w):
    return decision_about(w, "Б-7", w.mouo_b, w.school_b1)


def new_decision(w):
    from monitoring.models import Indicator

    owner = w.mouo_a
    return {"owner": owner.pk, "order_number": "15", "order_date": "2025-10-01", "title": "О контроле",
            "mechanism": "1.1", "indicators": [Indicator.objects.get(code="vpr_quality").pk],
            "schools": [w.school_a2.pk]}


CASES = [
    page("decisions:decision_list", "/decisions/", VIEWERS),
    page("decisions:decision_create", "/decisions/new/", MANAGERS),
    # the coordinator of А records a decision of МОУО А about its school А2; the ministry cannot sign for МОУО А
    page("decisions:decision_create", "/decisions/new/", MANAGERS, method="post", data=new_decision,
         others={"coordinator": 302, "ministry": 200}),
    page("decisions:decision_detail", lambda w: f"/decisions/{regional(w).pk}/", VIEWERS,
         others={"api_client": 200}),
    # МОУО Б's decision about Б1: region-wide roles only; А's coordinator and head get 404
    # decisions are readable through the ministry's API membership too (decisions.view), so А's coordinator who
    # is also the ministry's API client reads Б's decision through that membership's region-wide reach
    page("decisions:decision_detail", lambda w: f"/decisions/{municipal_b(w).pk}/",
         ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403, **API_REACH}),
    api("decision-list", "/api/v1/decisions/", VIEWERS),
    api("decision-detail", lambda w: f"/api/v1/decisions/{municipal_b(w).pk}/",
        ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403, **API_REACH}),
    api("decision-effect", lambda w: f"/api/v1/decisions/{regional(w).pk}/effect/", VIEWERS),
]


def flagged_case(w, school=None):
    """School А1 (or the given one) flagged in 2025, with a re-check assigned."""
    from assessments.stats.models import ObjectivitySign
    from decisions.models import Case

    school = school or w.school_a1
    ObjectivitySign.objects.get_or_create(year=2025, school=school, criterion="official_mean_ci", defaults={
        "version": 1, "evaluated": True, "flagged": True, "explanation": ""})
    case, _ = Case.objects.get_or_create(school=school, year=2025, kind="recheck", defaults={"reason": "признак"})
    return case


CASE_VIEWERS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]

CASES += [
    page("decisions:case_list", "/decisions/cases/", CASE_VIEWERS),
    page("decisions:case_assign", "/decisions/cases/assign/?year=2025", ["ministry"]),
    page("decisions:case_assign", lambda w: (flagged_case(w), "/decisions/cases/assign/?year=2025")[1], ["ministry"],
         method="post", data=lambda w: {"kind": "inspection", "schools": [w.school_a1.pk]}, allowed_status=302),
    page("decisions:case_detail", lambda w: f"/decisions/cases/{flagged_case(w).pk}/", CASE_VIEWERS),
    # Б1's case: region-wide roles only
    page("decisions:case_detail", lambda w: f"/decisions/cases/{flagged_case(w, w.school_b1).pk}/",
         ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403, "api_client": 403}),
    page("decisions:case_detail", lambda w: f"/decisions/cases/{flagged_case(w).pk}/",
         ["ministry", "centre", "coordinator"], method="post", data={"status": "in_progress"}, allowed_status=302),
    api("case-list", "/api/v1/cases/", CASE_VIEWERS),
    api("case-detail", lambda w: f"/api/v1/cases/{flagged_case(w).pk}/", CASE_VIEWERS),
]
