"""The OpenAPI schema is valid and complete: no warnings, every endpoint documented."""
import io

from django.core.management import call_command


def test_the_openapi_schema_validates_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "/api/v1/organizations/" in out.getvalue()


def test_every_operation_documents_its_refusals():
    # The fuzz suite checks every answer's status against the schema; these are the refusals DRF gives.
    from tests.openapi_contract import portal_schema

    for path, operations in portal_schema().raw_schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert "429" in documented, (method, path)
            if operation.get("security") != [{}]:
                assert {"401", "403"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)


def test_an_api_address_matching_no_endpoint_answers_json_and_a_page_address_the_page(world, client_for):
    # Found by the fuzz suite: /api/v1/statistics/-5.6e-49/ (no route takes it) answered the HTML page.
    client = client_for("ministry")
    response = client.get("/api/v1/statistics/-5.6e-49/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Не найдено."}
    page = client.get("/registry/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_api_address_with_a_format_suffix_is_no_route(world, client_for):
    # The router's «.json» twins of every route were undocumented; an unknown suffix answered 404 before
    # authentication. Without them such an address matches nothing and gets the API's JSON 404.
    response = client_for(None).get("/api/v1/results/uploads/1.xml/")
    assert response.status_code == 404 and response.json() == {"detail": "Не найдено."}
    assert client_for(None).get("/api/v1/results/uploads/1/").status_code == 401
