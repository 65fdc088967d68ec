"""Routes of the procedure catalog × personas."""
from assessments.models import Procedure, ProcedureKind, ProcedureSchool, ReferenceScale, Subject
from tests.permission_matrix import WEB_ROLES, api, page

from .factories import ProcedureFactory, add_tasks
from .municipal import mpr

MANAGE = ["ministry", "centre"]
# Who may create some procedure: the region's catalog keepers, and a МОУО (its municipal ones).
CREATE = MANAGE + ["coordinator"]
REGION_WIDE = ["ministry", "methodologist", "centre"]
UPLOAD = ["ministry", "centre", "coordinator"]
READ_API = WEB_ROLES


def procedure(world) -> Procedure:
    """VPR-2021-MA-4 with two tasks and schools from both municipalities (built once per test)."""
    existing = Procedure.objects.filter(code="VPR-2021-MA-4").first()
    if existing:
        return existing
    created = ProcedureFactory()
    add_tasks(created, {"1": 1, "2": 2})
    for school in (world.school_a1, world.school_b1):
        ProcedureSchool.objects.create(procedure=created, school=school)
    return created


def at(suffix=""):
    return lambda w: f"/procedures/{procedure(w).code}/{suffix}"


CASES = [
    page("catalog:procedure_list", "/procedures/", WEB_ROLES),
    page("catalog:kind_list", "/procedures/kinds/", WEB_ROLES),
    page("catalog:schedule", "/procedures/schedule/", WEB_ROLES),
    page("catalog:procedure_create", "/procedures/new/", CREATE),
    page("catalog:procedure_detail", at(), WEB_ROLES),
    page("catalog:procedure_detail", "/procedures/NO-SUCH-CODE/", WEB_ROLES, denied_status=403,
         others={p: 404 for p in WEB_ROLES}),
    page("catalog:procedure_edit", at("edit/"), MANAGE),
    page("catalog:procedure_status", at("status/"), MANAGE, method="post", allowed_status=302,
         data={"status": "conducted"}),
    page("catalog:participants", at("schools/"), WEB_ROLES),
    page("catalog:participants", at("schools/"), MANAGE, method="post", allowed_status=302,
         data={"form": "bulk", "mode": "codes", "codes": "sch990002"}),
    page("catalog:tasks_edit", at("tasks/"), MANAGE),
    page("catalog:codifier_upload", at("codifier/"), MANAGE, method="post", allowed_status=302),
    page("catalog:scale_edit", at("scale/"), MANAGE),
    page("catalog:scale_reference", at("scale/reference/"), MANAGE, method="post", allowed_status=302),
    page("catalog:template_xlsx", at("template.xlsx"), UPLOAD),
    page("catalog:template_csv", at("template.csv"), UPLOAD),
]

# The API: read by every web role (API clients read indicators, not the catalog), written by MANAGE.
# PUT on the scale and PATCH on a procedure are checked in test_api.py (they need a JSON body).
CASES += [
    api("procedure-kind-list", "/api/v1/procedure-kinds/", READ_API),
    api("procedure-kind-detail", lambda w: f"/api/v1/procedure-kinds/{ProcedureKind.objects.first().pk}/", READ_API),
    api("subject-list", "/api/v1/subjects/", READ_API),
    api("subject-detail", lambda w: f"/api/v1/subjects/{Subject.objects.first().pk}/", READ_API),
    api("procedure-list", "/api/v1/procedures/", READ_API),
    api("procedure-list", "/api/v1/procedures/", MANAGE, method="post", allowed_status=201,
        data={"kind": "ВПР", "year": 2022, "subject": "MA", "grade": 4}),
    api("procedure-detail", lambda w: f"/api/v1/procedures/{procedure(w).code}/", READ_API),
    api("procedure-tasks", lambda w: f"/api/v1/procedures/{procedure(w).code}/tasks/", READ_API),
    api("procedure-scale", lambda w: f"/api/v1/procedures/{procedure(w).code}/scale/", READ_API),
    api("procedure-participants", lambda w: f"/api/v1/procedures/{procedure(w).code}/participants/", READ_API),
    api("reference-scale-list", "/api/v1/reference-scales/", READ_API),
    api("reference-scale-detail", lambda w: f"/api/v1/reference-scales/{ReferenceScale.objects.first().pk}/", READ_API),
]


def at_mpr(letter, suffix=""):
    return lambda w: f"/procedures/{mpr(w, letter).code}/{suffix}"


# Municipal procedures: A's МПР is seen by municipality A (its coordinator and school heads) and region-wide roles,
# and managed by A's МОУО besides the region's catalog keepers; B's МПР does not exist for anyone of A (404).
NOT_SEEN = {"expert": 404}
CASES += [
    page("catalog:procedure_detail", at_mpr("a"), WEB_ROLES, others=NOT_SEEN),
    page("catalog:procedure_detail", at_mpr("b"), REGION_WIDE, denied_status=404, others={"api_client": 403}),
    page("catalog:participants", at_mpr("a", "schools/"), WEB_ROLES, others=NOT_SEEN),
    page("catalog:participants", at_mpr("b", "schools/"), REGION_WIDE, denied_status=404, others={"api_client": 403}),
    page("catalog:participants", at_mpr("a", "schools/"), CREATE, method="post", allowed_status=302,
         data={"form": "bulk", "mode": "codes", "codes": "sch990002"}),
    page("catalog:participants", at_mpr("b", "schools/"), MANAGE, method="post", allowed_status=302,
         data={"form": "bulk", "mode": "codes", "codes": "sch990003"}, others={"coordinator": 404}),
]
for route, suffix, method in [("catalog:procedure_edit", "edit/", "get"), ("catalog:tasks_edit", "tasks/", "get"),
                              ("catalog:scale_edit", "scale/", "get"),
                              ("catalog:procedure_status", "status/", "post"),
                              ("catalog:codifier_upload", "codifier/", "post"),
                              ("catalog:scale_reference", "scale/reference/", "post")]:
    allowed_status = 200 if method == "get" else 302
    CASES += [
        page(route, at_mpr("a", suffix), CREATE, method=method, allowed_status=allowed_status),
        page(route, at_mpr("b", suffix), MANAGE, method=method, allowed_status=allowed_status,
             others={"coordinator": 404}),
    ]
CASES += [
    page("catalog:template_xlsx", at_mpr("a", "template.xlsx"), UPLOAD),
    page("catalog:template_xlsx", at_mpr("b", "template.xlsx"), MANAGE, others={"coordinator": 404}),
    page("catalog:template_csv", at_mpr("a", "template.csv"), UPLOAD),
    page("catalog:template_csv", at_mpr("b", "template.csv"), MANAGE, others={"coordinator": 404}),
    api("procedure-detail", lambda w: f"/api/v1/procedures/{mpr(w, 'a').code}/", READ_API, others=NOT_SEEN),
    api("procedure-detail", lambda w: f"/api/v1/procedures/{mpr(w, 'b').code}/", REGION_WIDE, denied_status=404,
        others={"api_client": 403}),
    api("procedure-tasks", lambda w: f"/api/v1/procedures/{mpr(w, 'b').code}/tasks/", REGION_WIDE,
        denied_status=404, others={"api_client": 403}),
    api("procedure-participants", lambda w: f"/api/v1/procedures/{mpr(w, 'b').code}/participants/", REGION_WIDE,
        denied_status=404, others={"api_client": 403}),
    # A МОУО creates a municipal procedure through the API (a regional one it may not: the case above).
    api("procedure-list", "/api/v1/procedures/", CREATE, method="post", allowed_status=201,
        data={"kind": "МПР", "year": 2022, "subject": "MA", "grade": 5, "organizer": "MIN"},
        others={"ministry": 400, "centre": 400}),
]
