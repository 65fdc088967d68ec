"""Every roadmap route × every persona."""
from tests.permission_matrix import API_REACH, SIGNED_IN, api, page

from .factories import roadmap_world as rm

MINISTRY = ["ministry"]
REGION_WIDE = ["ministry", "methodologist", "centre"]
VIEWERS = [p for p in SIGNED_IN if p != "expert"]
REPORTERS = ["ministry", "methodologist", "centre", "coordinator", "school_head"]
# The regional roadmap has item 1.2 assigned to both municipal offices: municipality A sees it; a school does not.
REGIONAL_VIEWERS = REGION_WIDE + ["coordinator", "api_client"]
NOT_VIEWER = {"expert": 403}

CASES = [
    page("roadmaps:roadmap_list", "/roadmaps/", VIEWERS),
    page("roadmaps:roadmap_detail", lambda w: f"/roadmaps/{rm(w).regional.pk}/", REGIONAL_VIEWERS,
         denied_status=404, others=NOT_VIEWER),
    page("roadmaps:roadmap_detail", lambda w: f"/roadmaps/{rm(w).municipal_b.pk}/", REGION_WIDE,
         denied_status=404, others=NOT_VIEWER | API_REACH),
    page("roadmaps:roadmap_detail", lambda w: f"/roadmaps/{rm(w).municipal_b.pk}/?export=xlsx", REGION_WIDE,
         denied_status=404, others=NOT_VIEWER | API_REACH),
    page("roadmaps:roadmap_detail", lambda w: f"/roadmaps/{rm(w).school.pk}/", REGION_WIDE + ["coordinator", "school_head", "api_client"],
         denied_status=404, others=NOT_VIEWER),
    page("roadmaps:roadmap_timeline", lambda w: f"/roadmaps/{rm(w).regional.pk}/timeline/", REGIONAL_VIEWERS,
         denied_status=404, others=NOT_VIEWER),
    page("roadmaps:roadmap_export", lambda w: f"/roadmaps/{rm(w).regional.pk}/export.xlsx", REGIONAL_VIEWERS,
         denied_status=404, others=NOT_VIEWER),
    page("roadmaps:roadmap_import", "/roadmaps/import/", ["ministry", "coordinator"]),
    page("roadmaps:roadmap_import_confirm", "/roadmaps/import/confirm/", ["ministry", "coordinator"], method="post",
         allowed_status=302),
    page("roadmaps:my_items", "/roadmaps/my/", REPORTERS),
    page("roadmaps:alias_list", "/roadmaps/aliases/", MINISTRY),
    page("roadmaps:alias_edit", lambda w: f"/roadmaps/aliases/{rm(w).alias.pk}/", MINISTRY),
    page("roadmaps:roadmap_rematch", lambda w: f"/roadmaps/{rm(w).regional.pk}/rematch/", MINISTRY, method="post",
         allowed_status=302),
    page("roadmaps:roadmap_publish", lambda w: f"/roadmaps/{rm(w).regional.pk}/publish/", MINISTRY, method="post",
         allowed_status=302, data={"public": "1"}),
    # a МОУО makes the support roadmap of its own school too (another municipality's school: not offered)
    page("roadmaps:roadmap_copy", lambda w: f"/roadmaps/{rm(w).template.pk}/copy/", MINISTRY + ["coordinator"],
         method="post", allowed_status=302, data=lambda w: {"school": w.school_a2.pk}),
    page("roadmaps:round_create", lambda w: f"/roadmaps/{rm(w).regional.pk}/rounds/new/", MINISTRY, method="post",
         allowed_status=302, data={"as_of": "2026-06-30", "due": "2026-07-15"}),
    page("roadmaps:item_links", lambda w: f"/roadmaps/items/{rm(w).item_mouo.pk}/links/", MINISTRY),
    page("roadmaps:assignment_detail", lambda w: f"/roadmaps/assignments/{rm(w).assignment_a.pk}/", REGIONAL_VIEWERS,
         denied_status=404, others=NOT_VIEWER),
    page("roadmaps:assignment_detail", lambda w: f"/roadmaps/assignments/{rm(w).assignment_b.pk}/", REGION_WIDE,
         denied_status=404, others=NOT_VIEWER | API_REACH),
    # Posting a status: only the executor itself (or the ministry); others may look but not report.
    page("roadmaps:assignment_detail", lambda w: f"/roadmaps/assignments/{rm(w).assignment_a.pk}/", ["ministry", "coordinator"],
         method="post", allowed_status=302, data={"status": "in_progress"},
         others={"school_head": 404, "expert": 403, "methodologist": 403, "centre": 403, "api_client": 403}),
    page("roadmaps:round_detail", lambda w: f"/roadmaps/rounds/{rm(w).round.pk}/", REGIONAL_VIEWERS,
         denied_status=404, others=NOT_VIEWER),
    page("roadmaps:round_submit", lambda w: f"/roadmaps/rounds/{rm(w).round.pk}/submit/", ["coordinator"],
         method="post", allowed_status=302, others={"school_head": 404}),
    api("roadmap-list", "/api/v1/roadmaps/", VIEWERS),
    api("roadmap-detail", lambda w: f"/api/v1/roadmaps/{rm(w).regional.pk}/", REGIONAL_VIEWERS, denied_status=404,
        others=NOT_VIEWER),
    api("roadmap-item-list", "/api/v1/roadmap-items/", VIEWERS),
    api("roadmap-item-detail", lambda w: f"/api/v1/roadmap-items/{rm(w).item_mouo.pk}/", REGIONAL_VIEWERS,
        denied_status=404, others=NOT_VIEWER),
    api("roadmap-item-detail", lambda w: f"/api/v1/roadmap-items/{rm(w).item_centre.pk}/", REGION_WIDE,
        denied_status=404, others=NOT_VIEWER | API_REACH),
    api("roadmap-assignment-list", "/api/v1/roadmap-assignments/", VIEWERS),
    api("roadmap-assignment-detail", lambda w: f"/api/v1/roadmap-assignments/{rm(w).assignment_a.pk}/",
        REGIONAL_VIEWERS, denied_status=404, others=NOT_VIEWER),
    api("roadmap-assignment-history", lambda w: f"/api/v1/roadmap-assignments/{rm(w).assignment_a.pk}/history/",
        REGIONAL_VIEWERS, denied_status=404, others=NOT_VIEWER),
    api("roadmap-assignment-report", lambda w: f"/api/v1/roadmap-assignments/{rm(w).assignment_a.pk}/report/",
        ["ministry", "coordinator"], method="post", data={"status": "in_progress", "comment": "Идёт работа"},
        others={"school_head": 404}),
]
