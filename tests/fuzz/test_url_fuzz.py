"""Every URL pattern of the portal (pages and API) with hostile path and query values: never a server error.

Schemathesis (test_api_fuzz.py) covers the API as its schema describes it; this sweep covers what no schema
lists — the pages, their path converters and the query parameters views read themselves. Each pattern is asked
with every path parameter replaced by a NUL, an overlong value and bytes that are not UTF-8, and again with its
path filled from a real object of the module's region and every known query parameter set to each such value.
A NUL must be refused with 400 (in the API with the documented `{"detail": …}` object); nothing may be 5xx.
"""
import re
from urllib.parse import quote

import django_filters
import pytest
from django.urls import URLResolver, get_resolver, resolve

from tests.openapi_contract import portal_schema

pytestmark = pytest.mark.fuzz

NUL = "%00"
HOSTILE_VALUES = {
    "nul": NUL,
    "overlong_text": "я" * 40 + "x" * 2000,
    "overlong_number": "9" * 40,
    "not_utf8": "%C0%AF%FF%FE",
}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
SKIPPED_PREFIXES = ("admin/",)  # Django's own admin is not part of the portal's interface (no role reaches it)
PERSONAS = ["ministry", "coordinator", "school_head", None]
SOURCE_QUERY_READ = re.compile(r"""\bGET(?:\.get|\.getlist)?\(?\[?\s*["'](\w+)["']""")


def url_patterns(resolver=None, prefix: str = ""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def route_template(pattern: str) -> str:
    """A route as a template: `registry/(?P<pk>[^/.]+)/$` → `registry/{pk}/`."""
    template = PARAMETER.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", pattern)
    return "/" + template.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")


ROUTES = sorted({route_template(p) for p in url_patterns() if not p.lstrip("^").startswith(SKIPPED_PREFIXES)})


def known_query_parameters() -> list[str]:
    """Names the schema documents, the filtersets declare and the views read from request.GET."""
    from pathlib import Path

    names = {p.name for op in portal_schema().get_all_operations() for p in op.ok().query}
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        filterset = pending.pop()
        pending.extend(filterset.__subclasses__())
        names.update(filterset.base_filters)
    root = Path(__file__).resolve().parents[2]
    for app in ("rsoko", "assessments", "roadmaps", "monitoring", "reports"):
        for source in (root / app).rglob("*.py"):
            names.update(SOURCE_QUERY_READ.findall(source.read_text(encoding="utf-8")))
    return sorted(names)


def fill(template: str, value_of) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: value_of(m.group(1)), template)


def model_lookup_value(template: str) -> str | None:
    """The lookup value of the first object of the view's model (DRF viewsets, Django's detail views)."""
    match = resolve(fill(template, lambda _: "1"))
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    queryset = getattr(view, "queryset", None)
    model = queryset.model if queryset is not None else getattr(view, "model", None)
    if model is None:
        return None
    field = getattr(view, "lookup_field", None) or getattr(view, "slug_field", None) or "pk"
    value = model._default_manager.order_by("pk").values_list("pk" if field == "slug" else field, flat=True).first()
    return None if value is None else str(value)


def candidate_fillings(template: str, world) -> list[str]:
    """Ways to fill a route's path with real objects: its model's first object, then codes and ids of the region."""
    from assessments.models import Procedure

    procedure = Procedure.objects.filter(results__isnull=False).order_by("pk").first()
    values = [model_lookup_value(template), procedure.code, world.school_a1.code, str(procedure.pk),
              str(world.school_a1.pk), "1"]
    return [fill(template, lambda _, value=value: quote(value, safe="")) for value in values if value]


def reachable_filling(client, template: str, world) -> str:
    """The first filling the persona's GET does not answer 404 (so that query values reach the view)."""
    fillings = candidate_fillings(template, world) if "{" in template else [template]
    for url in fillings:
        if ask(client, url).status_code != 404:
            return url
    return fillings[-1]


def ask(client, url: str):
    client.raise_request_exception = False
    return client.get(url)


def assert_refusal_is_proper(response, url: str, value: str, anonymous: bool) -> None:
    """No 5xx; a NUL is a 400 (JSON in the API), or for an anonymous caller of a closed API endpoint 401/403."""
    status = response.status_code
    assert status < 500, f"{url[:200]} → {status}"
    if value != NUL:
        return
    api = url.startswith("/api/")
    expected = (400, 401, 403) if api and anonymous else (400,)
    assert status in expected or (status == 404 and api), f"{url[:200]} → {status}, expected {expected}"
    if url.startswith("/api/v1/"):  # the documented API (schema and docs pages render their own formats)
        assert response["Content-Type"] == "application/json" and response.json()["detail"]


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p or "anonymous")
def test_every_route_survives_hostile_path_and_query_values(fuzz_world, db, client, settings, persona):
    from rsoko import settings as portal_settings

    settings.MEDIA_ROOT = portal_settings.MEDIA_ROOT  # where the module's region stored its files (reports, КИМ)
    if persona:
        client.force_login(fuzz_world.world.user(persona), backend="django.contrib.auth.backends.ModelBackend")
    query_names = known_query_parameters()
    failures = []
    for template in ROUTES:
        filled = reachable_filling(client, template, fuzz_world.world)
        for value in HOSTILE_VALUES.values():
            urls = [filled + "?" + "&".join(f"{name}={value}" for name in query_names)]
            if "{" in template:
                urls.append(fill(template, lambda _: value))
            for url in urls:
                try:
                    assert_refusal_is_proper(ask(client, url), url, value, anonymous=persona is None)
                except AssertionError as failure:
                    failures.append(str(failure))
    assert not failures, "\n".join(failures[:40])
