"""RSS/Atom feeds and the JSON of the same public data; CORS only on the embeddable endpoint; rate limits."""
from xml.etree import ElementTree

import pytest

from rsoko.public.api.views import PublicRateThrottle
from tests.public.fixtures import calendar_procedures


@pytest.fixture
def calendar(world):
    return calendar_procedures(world)


def test_rss_lists_the_schedule(calendar, client):
    response = client.get("/public/feed/rss/")
    assert response.status_code == 200 and "rss" in response["Content-Type"]
    root = ElementTree.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert "РПР: Математика, 6 класс" in titles and len(titles) == 3
    links = [item.findtext("link") for item in root.iter("item")]
    assert any("/public/results/VPR-2026-MA-4/" in link for link in links)  # finished → its results page
    assert any("/public/calendar/?year=2026#p-RPR-2026-MA-6" in link for link in links)


def test_atom_feed_is_valid_xml(calendar, client):
    response = client.get("/public/feed/atom/")
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    root = ElementTree.fromstring(response.content)
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 3


def test_embed_json_carries_the_calendar_with_cors_for_get(calendar, client):
    response = client.get("/public/embed.json?year=2026&level=regional", HTTP_ORIGIN="https://school.example.ru")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert [item["code"] for item in data["calendar"]["items"]] == ["RPR-2026-MA-6"]
    assert data["results"] == [] and data["objectivity"] is None
    assert client.post("/public/embed.json").status_code == 405


def test_api_calendar_matches_the_page_and_has_no_cors(calendar, client):
    response = client.get("/api/v1/public/calendar/?year=2026&kind=MPR")
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == ["MPR-2026-RU-5"]
    assert "Access-Control-Allow-Origin" not in response


def test_api_results_list_and_detail(calendar, client):
    listing = client.get("/api/v1/public/results/").json()
    assert [item["code"] for item in listing["items"]] == ["VPR-2026-MA-4"]
    detail = client.get("/api/v1/public/results/VPR-2026-MA-4/").json()
    assert detail["region"] is None and detail["municipalities"] == []
    assert client.get("/api/v1/public/results/RPR-2026-MA-6/").status_code == 404


def test_anonymous_callers_are_rate_limited(calendar, client, monkeypatch):
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "3/min"})
    statuses = [client.get("/api/v1/public/calendar/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/public/embed.json").status_code == 429


def test_public_throttle_rate_comes_from_settings():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public"]
    assert PublicRateThrottle.scope == "public"


def test_the_calendar_and_results_lists_answer_the_object_the_schema_documents(calendar, client):
    # Found by the fuzz suite: the schema promised an array, the endpoints answer {filters?, count, items}.
    from tests.openapi_contract import assert_conforms

    calendar_answer = client.get("/api/v1/public/calendar/?year=2026")
    assert calendar_answer.json()["count"] == 3
    assert_conforms(calendar_answer, "/api/v1/public/calendar/")
    results_answer = client.get("/api/v1/public/results/")
    assert [item["code"] for item in results_answer.json()["items"]] == ["VPR-2026-MA-4"]
    assert_conforms(results_answer, "/api/v1/public/results/")


def test_junk_parameters_share_the_cached_answer_of_the_valid_filters(calendar, client, monkeypatch):
    # Found by the fuzz suite: the raw query string keyed the cache, so every junk query added an entry whose key
    # could exceed what memcached accepts. The valid filters key it now.
    from django.core.cache import cache

    keys = []
    original = cache.get_or_set
    monkeypatch.setattr(cache, "get_or_set", lambda key, *a, **kw: keys.append(key) or original(key, *a, **kw))
    plain = client.get("/api/v1/public/calendar/?year=2026&kind=MPR").json()
    junk = client.get("/api/v1/public/calendar/?year=2026&kind=MPR&" + "x" * 400 + "=1&month=99").json()
    assert junk == plain
    assert len(set(keys)) == 1 and len(keys[0]) < 100
