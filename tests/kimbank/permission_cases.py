from tests.kimbank.factories import bank
from tests.permission_matrix import api, page

BANK_STAFF = ["ministry", "methodologist", "centre"]
BANK_ALL = ["ministry", "methodologist"]  # the whole bank, drafts included
AUTHORS = ["ministry", "methodologist"]
USERS = ["ministry", "centre"]  # assign variants to procedures, read the download log


def approved(w):
    return bank(w)["variant"].pk


def draft(w):
    return bank(w)["draft"].pk


CASES = [
    page("kimbank:variant_list", "/kim/", BANK_STAFF),
    page("kimbank:variant_create", "/kim/new/", AUTHORS),
    page("kimbank:variant_detail", lambda w: f"/kim/{approved(w)}/", BANK_STAFF),
    # A draft is not the centre's business: out of scope → 404.
    page("kimbank:variant_detail", lambda w: f"/kim/{draft(w)}/", BANK_ALL, others={"centre": 404}),
    page("kimbank:variant_detail", lambda w: f"/kim/{draft(w)}/?table=tasks&export=xlsx", BANK_ALL,
         others={"centre": 404}),
    # Drafts are edited by their author (the methodologist here); the ministry is not an author of this one.
    page("kimbank:variant_edit", lambda w: f"/kim/{draft(w)}/edit/", ["methodologist"]),
    page("kimbank:variant_tasks", lambda w: f"/kim/{draft(w)}/tasks/", ["methodologist"],
         others={"centre": 404}),
    page("kimbank:codifier_import", lambda w: f"/kim/{draft(w)}/tasks/import/", ["methodologist"],
         method="post", allowed_status=400, others={"centre": 404}),
    page("kimbank:file_add", lambda w: f"/kim/{draft(w)}/files/", ["methodologist"], method="post",
         allowed_status=302, others={"centre": 404}),
    page("kimbank:file_download", lambda w: f"/kim/{approved(w)}/files/{bank(w)['file'].pk}/", BANK_STAFF),
    page("kimbank:file_delete", lambda w: f"/kim/{draft(w)}/files/{bank(w)['draft'].files.first().pk}/delete/",
         ["methodologist"], method="post", allowed_status=302, others={"centre": 404}),
    page("kimbank:transition", lambda w: f"/kim/{draft(w)}/status/submit/", ["methodologist"], method="post",
         allowed_status=302, others={"centre": 404, "ministry": 403}),
    page("kimbank:use_add", lambda w: f"/kim/{approved(w)}/uses/new/", USERS),
    page("kimbank:use_tasks", lambda w: f"/kim/uses/{bank(w)['use'].pk}/create-tasks/", USERS, method="post",
         allowed_status=302),
    page("kimbank:school_materials", "/kim/school/", ["school_head"]),
    page("kimbank:school_download", lambda w: f"/kim/school/{bank(w)['use'].pk}/files/{bank(w)['file'].pk}/",
         ["school_head"]),
    page("kimbank:download_log", "/kim/downloads/", USERS),
    api("kim-variant-list", "/api/v1/kim/variants/", BANK_STAFF),
    api("kim-variant-detail", lambda w: f"/api/v1/kim/variants/{draft(w)}/", BANK_ALL, others={"centre": 404}),
    api("kim-download-list", "/api/v1/kim/downloads/", USERS),
    api("kim-download-detail", lambda w: f"/api/v1/kim/downloads/{bank(w)['use'].downloads.create(file=bank(w)['file'], user=w.user('school_head'), school=w.school_a1).pk}/",
        USERS),
]
