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


def pupil_url(w, table, query):
    return f"/analytics/procedures/{analysed_procedure(w).code}/pupils/{table}/?{query}"


# Pupil-level tables of the procedure page, page by page: the same rules as the procedure page of that school
# (out of scope → 404), and only at a school or a class (the region or a municipality has none → 404).
CASES += [
    case
    for table in ("risk", "individual")
    for case in (
        page("stats:pupil_table", lambda w, t=table: pupil_url(w, t, f"school={w.school_a1.pk}"), ANALYSTS),
        page("stats:pupil_table", lambda w, t=table: pupil_url(w, t, f"school={w.school_a1.pk}&class=4А&page=2"),
             ANALYSTS),
        page("stats:pupil_table", lambda w, t=table: pupil_url(w, t, f"school={w.school_a2.pk}"),
             REGION_WIDE + ["coordinator"], denied_status=404, others={"expert": 403, "api_client": 403}),
        page("stats:pupil_table", lambda w, t=table: pupil_url(w, t, f"school={w.school_b1.pk}"), REGION_WIDE,
             denied_status=404, others={"expert": 403, "api_client": 403}),
        # No school named: the school head stands at its school; the others at the region or their municipality.
        page("stats:pupil_table", lambda w, t=table: pupil_url(w, t, ""), ["school_head"], denied_status=404,
             others={"expert": 403, "api_client": 403}),
        page("stats:pupil_table", lambda w, t=table: pupil_url(w, t, f"municipality={w.mun_a.pk}"), [],
             denied_status=404, others={"expert": 403, "api_client": 403}),
    )
]
CASES.append(page("stats:pupil_table", lambda w: pupil_url(w, "unknown", f"school={w.school_a1.pk}"), [],
                  denied_status=404, others={"expert": 403, "api_client": 403}))


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

MINISTRY = ["ministry"]
CASES += [
    page("stats:shnor", "/analytics/shnor/", ANALYSTS),
    page("stats:high_results", "/analytics/high-results/", ANALYSTS),
    page("stats:criteria", "/analytics/criteria/", ANALYSTS),
    page("stats:criterion_edit", "/analytics/criteria/heaping/", MINISTRY),
    page("stats:criterion_edit", "/analytics/criteria/heaping/", MINISTRY, method="post", allowed_status=302,
         data={"is_active": "on", "heaping_alpha": "0.002", "heaping_min_pairs": "5"}),
    page("stats:federal_list", "/analytics/federal-list/", ANALYSTS),
    page("stats:federal_list", "/analytics/federal-list/", MINISTRY, method="post", allowed_status=200),
]

CASES += [
    api("school-list-list", "/api/v1/school-lists/", ANALYSTS),
    api("school-list-detail", lambda w: f"/api/v1/school-lists/{list_entry(w, w.school_b1).pk}/", REGION_WIDE,
        denied_status=404, others={"expert": 403, "api_client": 403}),
    api("risk-pupil-list", "/api/v1/risk-pupils/", ANALYSTS),
    api("risk-pupil-detail", lambda w: f"/api/v1/risk-pupils/{risk_pupil(w, w.school_b1).pk}/", REGION_WIDE,
        denied_status=404, others={"expert": 403, "api_client": 403}),
    api("deficit-list", "/api/v1/deficits/", ANALYSTS),
    api("deficit-detail", lambda w: f"/api/v1/deficits/{deficit(w, w.school_b1).pk}/", REGION_WIDE,
        denied_status=404, others={"expert": 403, "api_client": 403}),
    api("federal-mark-list", "/api/v1/federal-marks/", ANALYSTS),
    api("federal-mark-detail", lambda w: f"/api/v1/federal-marks/{federal_mark(w, w.school_b1).pk}/", REGION_WIDE,
        denied_status=404, others={"expert": 403, "api_client": 403}),
]


def list_entry(w, school):
    from assessments.stats.models import SchoolListEntry

    return SchoolListEntry.objects.create(year=2021, kind="low", school=school, data={"selected": True})


def risk_pupil(w, school):
    from assessments.stats.models import RiskPupil

    return RiskPupil.objects.create(procedure=analysed_procedure(w), school=school, participant_code="1", reason="«2»")


def deficit(w, school):
    from assessments.stats.models import Deficit

    return Deficit.objects.create(procedure=analysed_procedure(w), level="school", school=school,
                                  municipality=school.municipality, data=[])


def federal_mark(w, school):
    from assessments.stats.models import FederalMark

    return FederalMark.objects.create(year=2021, school=school, markers="4 РУ")


def mpr_url(w, letter):
    from tests.assessments.catalog.municipal import stored_mpr_statistics

    return f"/analytics/procedures/{stored_mpr_statistics(w, letter).code}/"


# The analytics of a municipal procedure: its municipality and the region-wide roles; another municipality's → 404.
CASES += [
    page("stats:procedure_analytics", lambda w: mpr_url(w, "a"), ANALYSTS),
    page("stats:procedure_analytics", lambda w: mpr_url(w, "b"), REGION_WIDE, denied_status=404,
         others={"expert": 403, "api_client": 403}),
]
