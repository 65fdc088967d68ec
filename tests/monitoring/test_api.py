"""The indicators API as an external client sees it: token scope, filters, exports, throttling, OpenAPI."""
import csv
import io

import pytest
from openpyxl import load_workbook
from rsoko.orgs.services import api_token_issue
from rest_framework.test import APIClient

from monitoring.services import indicators_refresh
from rsoko.orgs.choices import Role
from tests.factories import user_with_role

from .factories import TODAY, build


@pytest.fixture
def values(world):
    build(world)
    indicators_refresh("2026", today=TODAY)
    indicators_refresh("2026Q4", today=TODAY)
    return world


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(actor=None, user=user)}")
    return client


def all_values(client, query=""):
    rows, url = [], f"/api/v1/indicator-values/?page_size=500{query}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        rows += response.json()["results"]
        url = response.json()["next"]
    return rows


def test_municipal_token_gets_its_municipality_and_no_other(values):
    w = values
    rows = all_values(token_client(w.user("api_client")))  # an API client of МОУО А
    municipalities = {r["municipality_code"] for r in rows}
    schools = {r["organization_code"] for r in rows if r["level"] == "school"}
    assert municipalities == {w.mun_a.code}
    assert schools == {w.school_a1.code, w.school_a2.code}
    assert {r["level"] for r in rows} == {"municipality", "school"}  # its municipality's values and no others


def test_municipal_token_cannot_reach_another_municipality_by_filter(values):
    w = values
    client = token_client(w.user("api_client"))
    assert all_values(client, f"&organization={w.school_b1.code}") == []
    assert all_values(client, f"&organization={w.mouo_b.code}") == []
    assert all_values(client, f"&municipality={w.mun_b.code}") == []


def test_region_token_gets_every_municipality_and_school(values):
    w = values
    rows = all_values(token_client(user_with_role("region_api", Role.API_CLIENT, w.ministry_org)))
    assert {r["municipality_code"] for r in rows if r["level"] != "region"} == {w.mun_a.code, w.mun_b.code}
    assert {w.school_b1.code, w.school_a1.code} <= {r["organization_code"] for r in rows}


def test_filters_by_indicator_organization_level_and_period(values):
    w = values
    client = token_client(user_with_role("region_api", Role.API_CLIENT, w.ministry_org))
    rows = all_values(client, f"&indicator=vpr_quality&organization={w.mouo_b.code}&period=2026")
    assert [(r["indicator"], r["level"], r["municipality_code"], r["value"]) for r in rows] == [
        ("vpr_quality", "municipality", w.mun_b.code, 80.0)]
    rows = all_values(client, f"&indicator=vpr_pct_2&organization={w.school_a2.code}")
    assert [(r["organization_code"], r["value"]) for r in rows] == [(w.school_a2.code, 50.0)]
    rows = all_values(client, "&level=region&period=2026Q4&indicator=roadmap_done,roadmap_overdue")
    assert sorted((r["indicator"], r["value"]) for r in rows) == [("roadmap_done", 25.0), ("roadmap_overdue", 25.0)]
    assert isinstance(rows[0]["value"], float) and "T" in rows[0]["computed_at"]


def test_catalog_lists_indicators_by_code(values):
    client = token_client(values.user("api_client"))
    response = client.get("/api/v1/indicators/objectivity_index/")
    assert response.status_code == 200
    assert response.json()["levels"] == ["region", "municipality"] and response.json()["mechanism"] == "1.1"
    assert client.get("/api/v1/indicators/?page_size=100").json()["count"] >= 22


def test_api_is_read_only_for_clients(values):
    client = token_client(values.user("api_client"))
    assert client.post("/api/v1/indicator-values/", {}).status_code in (403, 405)
    assert client.delete("/api/v1/indicators/vpr_quality/").status_code in (403, 405)


def test_anonymous_is_refused(values):
    assert APIClient().get("/api/v1/indicator-values/").status_code == 401


def test_csv_and_xlsx_export_equal_the_json(values):
    w = values
    client = token_client(w.user("api_client"))
    query = "&indicator=vpr_mean_pct,risk_share"
    expected = sorted((r["indicator"], r["level"], r["municipality_code"] or "", r["organization_code"] or "",
                       r["value"]) for r in all_values(client, query))
    response = client.get(f"/api/v1/indicator-values/export/?file=csv{query}")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    got = sorted((r["indicator"], r["level"], r["municipality_code"], r["organization_code"],
                  float(r["value"]) if r["value"] else None) for r in rows)
    assert got == expected and len(got) > 5
    response = client.get(f"/api/v1/indicator-values/export/?file=xlsx{query}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *data = list(sheet.values)
    got = sorted((d[0], d[4], d[5] or "", d[7] or "", round(d[9], 10)) for d in data if d[0])
    # Excel keeps 15 significant digits
    assert header[:3] == ("indicator", "indicator_name", "unit")
    assert got == [(*row[:4], round(row[4], 10)) for row in expected]



def test_an_unknown_export_format_is_a_field_error(values):
    # Found by the fuzz suite: ?file=<anything else> answered 404, undocumented for a query-parameter mistake.
    response = token_client(values.user("api_client")).get("/api/v1/indicator-values/export/?file=pdf")
    assert response.status_code == 400
    assert response.json() == {"file": ["Формат выгрузки: csv или xlsx."]}

def test_indicator_endpoints_are_throttled(values, monkeypatch):
    from monitoring.api.caching import IndicatorThrottle

    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    from django.core.cache import cache

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "indicators": "3/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    monkeypatch.setattr(IndicatorThrottle, "timer", lambda self: 1_000_000.0)  # one window, whatever the clock
    try:
        client = token_client(values.user("api_client"))
        codes = [client.get("/api/v1/indicators/").status_code for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [200, 200, 200, 429]


def test_openapi_documents_the_endpoints_with_examples(client_for):
    response = client_for("ministry").get("/api/schema/?format=json")
    schema = response.json()
    assert "/api/v1/indicator-values/" in schema["paths"]
    assert "/api/v1/indicator-values/export/" in schema["paths"]
    listing = schema["paths"]["/api/v1/indicator-values/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"indicator", "organization", "level", "period"}
    assert "examples" in str(listing["responses"]["200"])


def test_answers_are_cached_but_follow_a_recompute(values, django_capture_on_commit_callbacks):
    from roadmaps.models import Assignment

    client = token_client(user_with_role("region_api", Role.API_CLIENT, values.ministry_org))
    query = "&indicator=roadmap_done&level=region"
    assert [r["value"] for r in all_values(client, query)] == [25.0]
    Assignment.objects.filter(status="not_started").update(status="done")
    assert [r["value"] for r in all_values(client, query)] == [25.0]  # the cached answer
    with django_capture_on_commit_callbacks(execute=True):
        indicators_refresh("2026Q4", today=TODAY)
    assert [r["value"] for r in all_values(client, query)] == [50.0]


def test_a_cached_answer_is_never_shared_between_scopes(values):
    w = values
    region = token_client(user_with_role("region_api", Role.API_CLIENT, w.ministry_org))
    municipal = token_client(w.user("api_client"))
    assert {r["municipality_code"] for r in all_values(region, "&level=municipality")} == {w.mun_a.code, w.mun_b.code}
    assert {r["municipality_code"] for r in all_values(municipal, "&level=municipality")} == {w.mun_a.code}
