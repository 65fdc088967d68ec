"""Every report route × every persona."""
from tests.permission_matrix import api, page
from tests.stats.factories import stored_statistics

from .factories import archived

VIEWERS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]
REGION_WIDE = ["ministry", "methodologist", "centre"]
RECOMMENDERS = ["ministry", "methodologist"]
NOT_VIEWER = {"expert": 403, "api_client": 403}

CASES = [
    page("reports:archive_list", "/reports/", VIEWERS),
    page("reports:archive_list", "/reports/?export=xlsx", VIEWERS),
    page("reports:quarterly_render", "/reports/quarterly/new/", VIEWERS),
    # A region report: region-wide roles only; a municipality's: its coordinator too; a school's: its head too.
    page("reports:archive_download", lambda w: f"/reports/archive/{archived(w, w.ministry_org).pk}/download/",
         REGION_WIDE, denied_status=404, others=NOT_VIEWER),
    page("reports:archive_download", lambda w: f"/reports/archive/{archived(w, w.mouo_a).pk}/download/",
         REGION_WIDE + ["coordinator"], denied_status=404, others=NOT_VIEWER),
    page("reports:archive_download", lambda w: f"/reports/archive/{archived(w, w.mouo_b).pk}/download/",
         REGION_WIDE, denied_status=404, others=NOT_VIEWER),
    page("reports:archive_download", lambda w: f"/reports/archive/{archived(w, w.school_a1).pk}/download/",
         REGION_WIDE + ["coordinator", "school_head"], denied_status=404, others=NOT_VIEWER),
    page("reports:procedure_render", lambda w: f"/reports/procedures/{stored_statistics(w).code}/render/",
         REGION_WIDE, method="post", allowed_status=302),
    page("reports:recommendation_edit", lambda w: f"/reports/procedures/{stored_statistics(w).code}/recommendations/",
         RECOMMENDERS),
    api("report-list", "/api/v1/reports/", VIEWERS),
    api("report-detail", lambda w: f"/api/v1/reports/{archived(w, w.mouo_a).pk}/", REGION_WIDE + ["coordinator"],
        denied_status=404, others=NOT_VIEWER),
]
