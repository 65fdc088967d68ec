"""Who sees which part of the registry: pages and API read through the same scoping."""
from rsoko.orgs.models import Municipality, Organization


def codes(response_json):
    return sorted(item["code"] for item in response_json["results"])


def test_a_coordinator_sees_exactly_its_municipality_schools_in_the_list_and_the_api(world, client_for):
    client = client_for("coordinator")
    page = client.get("/registry/organizations/?kind=school")
    assert [o.code for o in page.context["object_list"]] == ["sch990001", "sch990002"]
    api = client.get("/api/v1/organizations/?kind=school").json()
    assert codes(api) == ["sch990001", "sch990002"]


def test_a_school_head_sees_only_its_own_school(world, client_for):
    client = client_for("school_head")
    api = client.get("/api/v1/organizations/?kind=school").json()
    assert codes(api) == ["sch990001"]
    assert client.get(f"/registry/organizations/{world.school_a2.code}/").status_code == 404
    assert client.get(f"/api/v1/organizations/{world.school_a2.pk}/").status_code == 404


def test_a_school_head_sees_its_own_municipal_office_and_the_regional_bodies(world, client_for):
    api = client_for("school_head").get("/api/v1/organizations/?page_size=100").json()
    assert set(codes(api)) == {"sch990001", world.mouo_a.code, "MIN", "IRO", "RCOKO"}


def test_region_wide_roles_see_every_school(world, client_for):
    for persona in ("ministry", "methodologist", "centre"):
        api = client_for(persona).get("/api/v1/organizations/?kind=school").json()
        assert codes(api) == ["sch990001", "sch990002", "sch990003"], persona


def test_a_municipal_api_client_is_limited_to_its_municipality(world, client_for):
    api = client_for("api_client").get("/api/v1/municipalities/").json()
    assert [m["code"] for m in api["results"]] == [world.mun_a.code]


def test_an_expert_sees_no_schools(world, client_for):
    api = client_for("expert").get("/api/v1/organizations/?kind=school").json()
    assert api["results"] == []


def test_visible_to_of_an_account_without_roles_is_empty(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert not Organization.objects.visible_to(nobody).exists()
    assert not Municipality.objects.visible_to(nobody).exists()


def test_filters_search_and_settlement_type_narrow_the_list(world, client_for):
    client = client_for("ministry")
    rural = client.get("/api/v1/organizations/?settlement_type=rural").json()
    assert codes(rural) == ["sch990002"]
    found = client.get("/registry/organizations/?q=А2")
    assert [o.code for o in found.context["object_list"]] == ["sch990002"]


def test_api_page_size_is_capped(world, client_for, settings):
    response = client_for("ministry").get("/api/v1/organizations/?page_size=100000")
    assert response.status_code == 200
    from rsoko.pagination import Pagination

    assert Pagination.max_page_size == settings.API_MAX_PAGE_SIZE
    assert len(response.json()["results"]) <= settings.API_MAX_PAGE_SIZE


def test_api_clients_cannot_write(world, client_for):
    response = client_for("api_client").post("/api/v1/organizations/", {"code": "x"})
    assert response.status_code == 403


def test_token_authentication_uses_the_same_scope(world, client):
    from rsoko.orgs.services import api_token_issue

    key = api_token_issue(actor=None, user=world.user("api_client"))
    response = client.get("/api/v1/organizations/?kind=school", HTTP_AUTHORIZATION=f"Token {key}")
    assert codes(response.json()) == ["sch990001", "sch990002"]
    assert client.get("/api/v1/organizations/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_an_organization_outside_any_municipality_is_answered_as_the_schema_documents(world, client_for):
    # Found by the fuzz suite: the ministry has no municipality, the API said null where the schema promised a string.
    from tests.openapi_contract import assert_conforms

    response = client_for("ministry").get(f"/api/v1/organizations/{world.ministry_org.pk}/")
    assert response.json()["municipality_code"] is None
    assert_conforms(response, "/api/v1/organizations/{id}/")
