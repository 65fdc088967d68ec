"""Schemathesis fuzzes every operation of the OpenAPI schema for every persona, in process (WSGI).

For each (persona, operation) Hypothesis generates valid and invalid requests — path ids are either random or
ids of real objects of the module's region — and every answer must:
- never be a server error (5xx);
- use a status code, content type and body the schema documents for the operation;
- for an anonymous caller, be 401/403 unless the operation is declared public (`security: [{}]`).

The seed is fixed (derandomize) so a CI run is reproducible; max_examples keeps the suite within minutes.
"""
import os
from urllib.parse import unquote, urlsplit

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings, strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from tests.openapi_contract import portal_schema
from tests.permission_matrix import SINGLE_ROLE as PERSONAS  # combined personas: the permission matrix

pytestmark = pytest.mark.fuzz

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Multipart uploads of result files are fuzzed by tests/assessments/test_import_bad_files.py and
# test_upload_channels.py with real malformed files; random multipart bodies only exercise DRF's parser.
EXCLUDED = {("POST", "/api/v1/results/uploads/")}
# Examples per (persona, operation). The ministry reaches every operation and every object of the region, with
# write rights: it goes RSOKO_FUZZ_DEEP_EXAMPLES (50) deep in every CI run. The other roles mostly meet the same
# code behind a narrower scope, so RSOKO_FUZZ_EXAMPLES (6) each keeps the suite within minutes;
# RSOKO_FUZZ_EXAMPLES=50 runs every role 50 deep (same seed, more cases).
DEFAULT_EXAMPLES = int(os.environ.get("RSOKO_FUZZ_EXAMPLES", "6"))
DEEP_PERSONAS = ("ministry",)
DEEP_EXAMPLES = max(int(os.environ.get("RSOKO_FUZZ_DEEP_EXAMPLES", "50")), DEFAULT_EXAMPLES)
EXAMPLES = {"anonymous": min(3, DEFAULT_EXAMPLES)}  # an anonymous caller is turned away before any input is read
EXAMPLES |= {persona: DEEP_EXAMPLES for persona in DEEP_PERSONAS}


SCHEMA = portal_schema()
OPERATIONS = [op.ok() for op in SCHEMA.get_all_operations()]
OPERATIONS = [op for op in OPERATIONS if (op.method.upper(), op.path) not in EXCLUDED]


def is_public(operation) -> bool:
    return operation.definition.raw.get("security") == [{}]


def real_lookup_values(operation) -> dict[str, list]:
    """Path parameter → values of real objects behind the operation's viewset (in or out of the persona's scope)."""
    from django.urls import resolve

    names = [p.name for p in operation.path_parameters]
    if not names:
        return {}
    match = resolve(operation.path.replace("{" + names[0] + "}", "1"))
    view = getattr(match.func, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return {}
    field = getattr(view, "lookup_field", "pk")
    values = list(queryset.model._default_manager.order_by("pk").values_list(field, flat=True)[:30])
    return {names[0]: [str(v) for v in values]} if values else {}


def case_strategy(operation, mode: GenerationMode):
    generated = operation.as_strategy(generation_mode=mode)
    real = real_lookup_values(operation)
    if not real:
        return generated
    (name, values), = real.items()
    on_real_objects = st.sampled_from(values).flatmap(
        lambda value: operation.as_strategy(generation_mode=mode, path_parameters={name: value}))
    return st.one_of(on_real_objects, generated)


def send(case, persona: str, tokens: dict):
    """One request as the persona: a token for the signed-in ones, nothing at all for the anonymous caller."""
    # Throttle counters and cached answers live in the cache: a fuzz run is not a burst of a real client.
    cache.clear()
    for name in list(case.headers or {}):
        if name.lower() in {"authorization", "cookie"}:
            del case.headers[name]
    case.cookies = {}
    headers = {} if persona == "anonymous" else {"Authorization": f"Token {tokens[persona]}"}
    return case.call(headers=headers)


def reaches_an_endpoint(response) -> bool:
    """False for an address no route matches (e.g. a float where the router expects an id): a plain 404."""
    from django.urls import Resolver404, resolve

    try:
        resolve(unquote(urlsplit(response.request.url).path))
    except Resolver404:
        return False
    return True


def check_anonymous(case, response) -> None:
    if is_public(case.operation) or not reaches_an_endpoint(response):
        return
    assert response.status_code in (401, 403), (
        f"{case.operation.label} answered an anonymous caller with {response.status_code}")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("persona", PERSONAS)
def test_operation_for_persona(fuzz_world, db, persona, operation):
    tokens = fuzz_world.tokens
    strategy = st.one_of(case_strategy(operation, GenerationMode.POSITIVE),
                         case_strategy(operation, GenerationMode.NEGATIVE))

    # No shrinking: a failing case is reported as generated (with its curl line), and a failure costs no more
    # time than a pass. too_slow is a clock-based check: on a shared 2-core CI machine generating schema-driven
    # bodies can cross its threshold, which would make the run flaky; the example count bounds the run instead.
    @settings(max_examples=EXAMPLES.get(persona, DEFAULT_EXAMPLES), derandomize=True, deadline=None,
              database=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow],
              print_blob=False)
    @given(case=strategy)
    def fuzz(case):
        response = send(case, persona, tokens)
        if persona == "anonymous":
            check_anonymous(case, response)
        case.validate_response(response, checks=CHECKS)

    fuzz()
