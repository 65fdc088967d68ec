"""Every decisions route × every persona: a regional decision about school А1 and a municipal one of МОУО Б."""
from datetime import date

from tests.permission_matrix import SIGNED_IN, api, page

VIEWERS = [p for p in SIGNED_IN if p != "expert"]
MANAGERS = ["ministry", "coordinator"]


def regional(w):
    from decisions.models import Decision
    from monitoring.models import Indicator

    decision, created = Decision.objects.get_or_create(
        order_number="101", defaults={"owner": w.ministry_org, "order_date": date(2025, 9, 1),
                                      "title": "О школе А1", "mechanism": "1.2"})
    if created:
        decision.indicators.set(Indicator.objects.filter(code="vpr_quality"))
        decision.schools.set([w.school_a1])
    return decision


def municipal_b(w):
    from decisions.models import Decision
    from monitoring.models import Indicator

    decision, created = Decision.objects.get_or_create(
        order_number="Б-7", defaults={"owner": w.mouo_b, "order_date": date(2025, 9, 1),
                                      "title": "О школе Б1", "mechanism": "1.2"})
    if created:
        decision.indicators.set(Indicator.objects.filter(code="vpr_quality"))
        decision.schools.set([w.school_b1])
    return decision


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
    page("decisions:decision_detail", lambda w: f"/decisions/{municipal_b(w).pk}/",
         ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403}),
    api("decision-list", "/api/v1/decisions/", VIEWERS),
    api("decision-detail", lambda w: f"/api/v1/decisions/{municipal_b(w).pk}/",
        ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403}),
    api("decision-effect", lambda w: f"/api/v1/decisions/{regional(w).pk}/effect/", VIEWERS),
]
