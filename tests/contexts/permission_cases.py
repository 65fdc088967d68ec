"""Every contexts route × every persona."""
from tests.permission_matrix import SIGNED_IN, api, page

VIEWERS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]


def context_of(w, school):
    from contexts.models import SchoolContext

    return SchoolContext.objects.get_or_create(school=school, defaults={"pupils": 120})[0]


RULE = {"max_pupils": 150, "russian_second_share": "20", "low_income_share": "30", "rural_counts": "on",
        "min_criteria": 2, "groups": 3}

CASES = [
    page("contexts:context_list", "/contexts/", VIEWERS),
    page("contexts:rule_edit", "/contexts/rule/", ["ministry"], method="post", data=RULE, allowed_status=302),
    page("contexts:context_detail", lambda w: (context_of(w, w.school_a1), f"/contexts/{w.school_a1.code}/")[1],
         VIEWERS),
    # Б1: another municipality's school is not found for А's coordinator and head
    page("contexts:context_detail", lambda w: (context_of(w, w.school_b1), f"/contexts/{w.school_b1.code}/")[1],
         ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403, "api_client": 403}),
    page("contexts:context_detail", lambda w: f"/contexts/{w.school_a1.code}/", ["ministry"], method="post",
         data={"pupils": "90", "russian_second_share": "25,5", "low_income_share": "", "listed": ""},
         allowed_status=302, others={"coordinator": 403, "school_head": 403, "methodologist": 403, "centre": 403}),
    api("school-context-list", "/api/v1/school-contexts/", VIEWERS),
    api("school-context-detail", lambda w: f"/api/v1/school-contexts/{context_of(w, w.school_b1).school.code}/",
        ["ministry", "methodologist", "centre"], denied_status=404, others={"expert": 403, "api_client": 403}),
]
