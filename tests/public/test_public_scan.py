"""Every public route (any URL that needs no sign-in) is fetched anonymously, and no answer may carry
pupil data: no participant code from the database, no pupil-level field name, in HTML, XML or JSON.

Routes are found from the URL configuration, so a public route added later is scanned automatically;
one whose URL needs a parameter this test does not know fails until it is taught here.
"""
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from rsoko.public.suppression import PUPIL_FIELDS, pupil_fields_in
from tests.public.fixtures import (SECRET_CODES, calendar_procedures, computed_statistics, finished_procedure,
                                  public_roadmaps)

NOT_PORTAL_PAGES = {"healthz", "login"}  # sign-in form and health probe: public by nature, no data


def is_public(callback) -> bool:
    # DRF marks all its views login_not_required and decides access itself: open means AllowAny there.
    view_class = getattr(callback, "cls", None)
    if view_class is not None and issubclass(view_class, APIView):
        return list(view_class.permission_classes) == [AllowAny]
    return getattr(callback, "login_required", True) is False


def public_routes(resolver=None, namespace=""):
    """(route name, pattern) of every public route, format-suffix twins included under their own names."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from public_routes(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name and is_public(entry.callback):
            yield f"{namespace}{entry.name}", entry


def url_for(name: str, pattern: URLPattern, world) -> str:
    parameters = set(pattern.pattern.regex.groupindex)
    known = {"code": finished_procedure(world).code, "format": "json", "pk": public_roadmaps(world)[0].pk}
    unknown = parameters - set(known)
    assert not unknown, f"Public route {name} needs {unknown}: teach tests/public/test_public_scan.py its values"
    return reverse(name, kwargs={key: known[key] for key in parameters})


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_no_public_response_carries_pupil_data(world, client):
    calendar_procedures(world)
    computed_statistics(world)  # real aggregates on the pages, school rows among them
    routes = sorted({(name, url_for(name, pattern, world)) for name, pattern in public_routes()
                     if name not in NOT_PORTAL_PAGES})
    assert len(routes) >= 12, f"the scan found too few public routes: {routes}"
    for name, url in routes:
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url}: {response.status_code}"
        text = body_of(response)
        assert world.school_a1.short_name not in text, f"{url} names a school that the ministry did not publish"
        leaked = [code for code in SECRET_CODES if code in text]
        assert not leaked, f"{url} shows participant codes {leaked[:3]}"
        fields = [field for field in PUPIL_FIELDS if f'"{field}"' in text or f"<{field}" in text]
        assert not fields, f"{url} carries pupil-level fields {fields}"
        if response.get("Content-Type", "").startswith("application/json"):
            assert not pupil_fields_in(json.loads(text)), url


def test_the_scan_would_catch_a_leak(world, client, monkeypatch):
    """The scan is not a tautology: a selector that leaks pupil rows makes the public answer refuse."""
    from rsoko.public import selectors
    from rsoko.public.suppression import PupilDataError

    procedure = finished_procedure(world)
    leaking = [{"participant_code": code} for code in procedure.results.values_list("participant_code", flat=True)]
    monkeypatch.setattr(selectors, "municipality_results", lambda p: leaking)
    with pytest.raises(PupilDataError):
        client.get(f"/api/v1/public/results/{procedure.code}/")
