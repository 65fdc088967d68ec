"""Every route of the portal × every persona: allowed ones get their status, the others are refused."""
from importlib import import_module
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from rsoko.jobs.models import Job

from .permission_matrix import PERSONAS

# Routes that are not the portal's own pages: Django admin (staff only, by Django), health, login/logout.
UNLISTED = {"healthz", "login", "logout"}


def case_modules():
    """Each app's permission_cases module (tests/<app>/permission_cases.py)."""
    return [import_module(".".join(path.relative_to(Path(__file__).parent.parent).with_suffix("").parts))
            for path in sorted(Path(__file__).parent.rglob("permission_cases.py"))]


def all_cases():
    return [case for module in case_modules() for case in module.CASES]


CASES = all_cases()


def route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_route_has_a_case():
    covered = {case.route for case in CASES} | UNLISTED
    missing = sorted({name for name in route_names() if not name.endswith("-format") and name not in covered}
                     - {"api-root-format"})
    assert not missing, f"Routes without a permission case: {missing}"


@pytest.fixture
def matrix_world(world):
    world.job = Job.objects.create(kind="test", title="Тестовое задание", handler="x.y", created_by=world.user("ministry"))
    return world


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", CASES, ids=[f"{i}-{c.id}" for i, c in enumerate(CASES)])
def test_route_answers_each_persona_as_declared(case, persona, matrix_world, client_for):
    client = client_for(None if persona == "anonymous" else persona)
    url = case.url(matrix_world)
    data = case.data(matrix_world) if callable(case.data) else case.data
    response = getattr(client, case.method)(url, data)
    assert response.status_code == case.expect[persona], (
        f"{case.method.upper()} {url} as {persona}: got {response.status_code}, expected {case.expect[persona]}"
    )
