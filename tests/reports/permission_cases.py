"""Every report route × every persona."""
from tests.fieldwork.matrix_objects import objects as fieldwork
from tests.permission_matrix import api, page
from tests.stats.factories import stored_statistics

from .factories import archived, archived_summary

VIEWERS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]
REGION_WIDE = ["ministry", "methodologist", "centre"]
RECOMMENDERS = ["ministry", "methodologist"]
NOT_VIEWER = {"expert": 403, "api_client": 403}
CAMPAIGN_VIEWERS = VIEWERS  # who sees a campaign page (fieldwork.view_results); never an expert
NOT_FOUND_FOR_LOCAL = {"coordinator": 404, "school_head": 404}

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
    # A re-check campaign's summary: ordered from the campaign page by whoever sees it (campaign: schools А1, Б1;
    # campaign_b1: Б1 only, out of the coordinator's and the school head's sight).
    page("reports:campaign_render", lambda w: f"/reports/campaigns/{fieldwork(w).campaign.pk}/render/",
         CAMPAIGN_VIEWERS, method="post", allowed_status=302),
    page("reports:campaign_render", lambda w: f"/reports/campaigns/{fieldwork(w).campaign_b1.pk}/render/",
         REGION_WIDE, method="post", allowed_status=302, others=NOT_FOUND_FOR_LOCAL),
    page("reports:archive_download",
         lambda w: f"/reports/archive/{archived_summary(w, w.ministry_org, fieldwork(w).campaign).pk}/download/",
         REGION_WIDE, denied_status=404, others=NOT_VIEWER),
    page("reports:archive_download",
         lambda w: f"/reports/archive/{archived_summary(w, w.mouo_a, fieldwork(w).campaign).pk}/download/",
         REGION_WIDE + ["coordinator"], denied_status=404, others=NOT_VIEWER),
    page("reports:archive_download",
         lambda w: f"/reports/archive/{archived_summary(w, w.school_a1, fieldwork(w).campaign).pk}/download/",
         CAMPAIGN_VIEWERS, denied_status=404, others=NOT_VIEWER),
    # Filed under the coordinator's office, but the campaign is not theirs to see: no summary either.
    page("reports:archive_download",
         lambda w: f"/reports/archive/{archived_summary(w, w.mouo_a, fieldwork(w).campaign_b1).pk}/download/",
         REGION_WIDE, denied_status=404, others=NOT_VIEWER),
    page("reports:procedure_render", lambda w: f"/reports/procedures/{stored_statistics(w).code}/render/",
         REGION_WIDE, method="post", allowed_status=302),
    page("reports:recommendation_edit", lambda w: f"/reports/procedures/{stored_statistics(w).code}/recommendations/",
         RECOMMENDERS),
    api("report-list", "/api/v1/reports/", VIEWERS),
    api("report-detail", lambda w: f"/api/v1/reports/{archived(w, w.mouo_a).pk}/", REGION_WIDE + ["coordinator"],
        denied_status=404, others=NOT_VIEWER),
]
