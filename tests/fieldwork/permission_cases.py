"""Every fieldwork route × every persona. An expert sees only its own assignments: 404 for anything else."""
from tests.permission_matrix import ANOTHER_EXPERTS, api, page

from .matrix_objects import objects as o

MANAGE = ["ministry", "centre"]
REGION = ["ministry", "methodologist", "centre"]
BANK = REGION + ["coordinator"]
RESULTS = BANK + ["school_head"]
OBS_LIST = RESULTS + ["expert"]
OBS_MANAGE = MANAGE + ["coordinator"]
EXPERT = ["expert"]
NOT_FOUND_FOR_LOCAL = {"coordinator": 404, "school_head": 404}

CASES = [
    # expert bank
    page("fieldwork:expert_list", "/fieldwork/experts/", BANK),
    page("fieldwork:expert_export", "/fieldwork/experts/export.xlsx", BANK),
    page("fieldwork:expert_import", "/fieldwork/experts/import/", MANAGE),
    page("fieldwork:expert_detail", lambda w: f"/fieldwork/experts/{o(w).expert_b1.pk}/", REGION,
         others={"coordinator": 404}),
    # campaigns
    page("fieldwork:campaign_list", "/fieldwork/campaigns/", RESULTS),
    page("fieldwork:campaign_create", "/fieldwork/campaigns/new/", MANAGE),
    page("fieldwork:campaign_detail", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/", RESULTS),
    page("fieldwork:campaign_detail", lambda w: f"/fieldwork/campaigns/{o(w).campaign_b1.pk}/", REGION,
         others=NOT_FOUND_FOR_LOCAL),
    page("fieldwork:campaign_detail", lambda w: f"/fieldwork/campaigns/{o(w).campaign_b1.pk}/?export=xlsx", REGION,
         others=NOT_FOUND_FOR_LOCAL),
    page("fieldwork:campaign_schools", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/schools/", MANAGE,
         method="post", allowed_status=302),
    page("fieldwork:campaign_pair", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/pair/", MANAGE,
         method="post", allowed_status=302),
    page("fieldwork:campaign_draw", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/draw/", MANAGE,
         method="post", allowed_status=302),
    page("fieldwork:campaign_assign", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/assign/", MANAGE,
         method="post", allowed_status=302),
    page("fieldwork:campaign_works", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/works/", MANAGE),
    page("fieldwork:campaign_export", lambda w: f"/fieldwork/campaigns/{o(w).campaign.pk}/export.xlsx", RESULTS),
    page("fieldwork:campaign_export", lambda w: f"/fieldwork/campaigns/{o(w).campaign_b1.pk}/export.xlsx", REGION,
         others=NOT_FOUND_FOR_LOCAL),
    # an expert's own works
    page("fieldwork:my_works", "/fieldwork/my/", EXPERT),
    page("fieldwork:assignment_check", lambda w: f"/fieldwork/my/assignments/{o(w).own_assignment.pk}/", EXPERT,
         others=ANOTHER_EXPERTS),
    page("fieldwork:assignment_check", lambda w: f"/fieldwork/my/assignments/{o(w).foreign_assignment.pk}/", [],
         others={"expert": 404}),
    page("fieldwork:assignment_check", lambda w: f"/fieldwork/my/assignments/{o(w).own_assignment.pk}/", EXPERT,
         method="post", data={"task_0": "1", "task_1": "1", "task_2": "1", "task_3": "1", "task_4": "1"},
         allowed_status=302, others=ANOTHER_EXPERTS),
    page("fieldwork:my_template", lambda w: f"/fieldwork/my/campaigns/{o(w).campaign.pk}/template.xlsx", EXPERT,
         others=ANOTHER_EXPERTS),
    page("fieldwork:my_template", lambda w: f"/fieldwork/my/campaigns/{o(w).campaign_b1.pk}/template.xlsx", [],
         others={"expert": 404}),
    page("fieldwork:my_upload", lambda w: f"/fieldwork/my/campaigns/{o(w).campaign.pk}/upload/", EXPERT,
         method="post", allowed_status=302, others=ANOTHER_EXPERTS),
    page("fieldwork:my_upload", lambda w: f"/fieldwork/my/campaigns/{o(w).campaign_b1.pk}/upload/", [],
         method="post", others={"expert": 404}),
    # observers
    page("fieldwork:observer_list", "/fieldwork/observers/", OBS_LIST),
    page("fieldwork:observer_create", "/fieldwork/observers/new/", OBS_MANAGE),
    page("fieldwork:observer_detail", lambda w: f"/fieldwork/observers/{o(w).observer_a1.pk}/", RESULTS,
         others={"expert": 404}),
    page("fieldwork:observer_detail", lambda w: f"/fieldwork/observers/{o(w).observer_b1.pk}/", REGION,
         others={"coordinator": 404, "school_head": 404, "expert": 404}),
    page("fieldwork:observer_report", lambda w: f"/fieldwork/observers/{o(w).observer_a1.pk}/report/", OBS_MANAGE,
         others={"expert": 404}),
    page("fieldwork:observer_photo", lambda w: f"/fieldwork/observers/photos/{o(w).photo.pk}/", RESULTS,
         others={"expert": 404}),
    # controlled sample
    page("fieldwork:controlled_index", "/fieldwork/controlled/", RESULTS),
    page("fieldwork:controlled_detail", lambda w: f"/fieldwork/controlled/{o(w).procedure.pk}/", RESULTS),
    page("fieldwork:controlled_set", lambda w: f"/fieldwork/controlled/{o(w).procedure.pk}/set/", MANAGE,
         method="post", allowed_status=302, data=lambda w: {"school": w.school_a1.pk, "control": "observers"}),
    # API
    api("fieldwork-expert-list", "/api/v1/fieldwork/experts/", BANK),
    api("fieldwork-expert-detail", lambda w: f"/api/v1/fieldwork/experts/{o(w).expert_b1.pk}/", REGION,
        others={"coordinator": 404}),
    api("fieldwork-campaign-list", "/api/v1/fieldwork/campaigns/", RESULTS),
    api("fieldwork-campaign-detail", lambda w: f"/api/v1/fieldwork/campaigns/{o(w).campaign_b1.pk}/", REGION,
        others=NOT_FOUND_FOR_LOCAL),
    api("fieldwork-campaign-results", lambda w: f"/api/v1/fieldwork/campaigns/{o(w).campaign.pk}/results/", RESULTS),
    api("fieldwork-campaign-results", lambda w: f"/api/v1/fieldwork/campaigns/{o(w).campaign_b1.pk}/results/",
        REGION, others=NOT_FOUND_FOR_LOCAL),
    api("fieldwork-assignment-list", "/api/v1/fieldwork/assignments/", EXPERT),
    api("fieldwork-assignment-detail", lambda w: f"/api/v1/fieldwork/assignments/{o(w).own_assignment.pk}/", EXPERT,
        others=ANOTHER_EXPERTS),
    api("fieldwork-assignment-detail", lambda w: f"/api/v1/fieldwork/assignments/{o(w).foreign_assignment.pk}/", [],
        others={"expert": 404}),
    api("fieldwork-assignment-submit", lambda w: f"/api/v1/fieldwork/assignments/{o(w).own_assignment.pk}/submit/",
        EXPERT, method="post", data={"scores": [1, 1, 1, 1, 1]}, others=ANOTHER_EXPERTS),
    api("fieldwork-assignment-submit",
        lambda w: f"/api/v1/fieldwork/assignments/{o(w).foreign_assignment.pk}/submit/", [], method="post",
        data={"scores": [1, 1, 1, 1, 1]}, others={"expert": 404}),
    api("fieldwork-observer-list", "/api/v1/fieldwork/observers/", OBS_LIST),
    api("fieldwork-observer-detail", lambda w: f"/api/v1/fieldwork/observers/{o(w).observer_b1.pk}/", REGION,
        others={"coordinator": 404, "school_head": 404, "expert": 404}),
]
