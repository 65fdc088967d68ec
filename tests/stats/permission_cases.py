from tests.permission_matrix import api, page

from .factories import stored_statistics as analysed_procedure

ANALYSTS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]
REGION_WIDE = ["ministry", "methodologist", "centre"]


def procedure_url(w, query=""):
    return f"/analytics/procedures/{analysed_procedure(w).code}/{query}"


CASES = [
    page("stats:procedure_list", "/analytics/", ANALYSTS),
    page("stats:procedure_analytics", procedure_url, ANALYSTS),
    # Another municipality's school: out of scope for the coordinator and the school head of А1.
    page("stats:procedure_analytics", lambda w: procedure_url(w, f"?school={w.school_b1.pk}"), REGION_WIDE,
         denied_status=404, others={"expert": 403, "api_client": 403}),
    page("stats:procedure_analytics", lambda w: procedure_url(w, f"?school={w.school_a2.pk}"),
         REGION_WIDE + ["coordinator"], denied_status=404, others={"expert": 403, "api_client": 403}),
    page("stats:procedure_analytics", lambda w: procedure_url(w, f"?municipality={w.mun_b.pk}"), REGION_WIDE,
         denied_status=404, others={"expert": 403, "api_client": 403}),
    page("stats:sign_list", "/analytics/objectivity/", ANALYSTS),
    page("stats:school_signs", lambda w: f"/analytics/objectivity/{w.school_a1.code}/", ANALYSTS,
         others={"expert": 403, "api_client": 403}),
    page("stats:school_signs", lambda w: f"/analytics/objectivity/{w.school_b1.code}/", REGION_WIDE,
         denied_status=404, others={"expert": 403, "api_client": 403}),
    api("statistic-list", "/api/v1/statistics/", ANALYSTS),
    api("statistic-detail", lambda w: f"/api/v1/statistics/{school_row(w, w.school_b1).pk}/", REGION_WIDE,
        denied_status=404, others={"expert": 403, "api_client": 403}),
    api("objectivity-sign-list", "/api/v1/objectivity-signs/", ANALYSTS),
    api("objectivity-sign-detail", lambda w: f"/api/v1/objectivity-signs/{school_sign(w, w.school_b1).pk}/",
        REGION_WIDE, denied_status=404, others={"expert": 403, "api_client": 403}),
    api("objectivity-index-list", "/api/v1/objectivity-index/", ANALYSTS),
    api("objectivity-index-detail", lambda w: f"/api/v1/objectivity-index/{index_row(w).pk}/", ANALYSTS),
]


def school_row(w, school):
    from assessments.stats.models import StatisticRow

    analysed_procedure(w)
    return StatisticRow.objects.filter(school=school, level="school", form="marks").get()


def school_sign(w, school):
    from assessments.stats.models import ObjectivitySign

    analysed_procedure(w)
    return ObjectivitySign.objects.filter(school=school).first()


def index_row(w):
    from assessments.stats.models import ObjectivityIndex

    analysed_procedure(w)
    return ObjectivityIndex.objects.first()
