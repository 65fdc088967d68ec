"""Shared fixtures: a small region (`world`) with one person per role — the personas of every test."""
from dataclasses import dataclass
import os

import pytest

from rsoko.celery import app as celery_app
from rsoko.orgs.choices import OrgKind, Role

from .factories import (MembershipFactory, MunicipalOfficeFactory, MunicipalityFactory, OrganizationFactory,
                        RegionFactory, SchoolFactory, user_with_role)

PASSWORD = "correct-horse-battery-staple"


def pytest_configure(config):
    from django.conf import settings

    # Real hashing costs ~0.3 s a user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Under pytest-xdist every test process has its own database; its live Celery workers must take only its own
    # tasks from the shared Redis, so each process sends to and consumes from a queue of its own.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        celery_app.conf.task_default_queue = f"rsoko-tests-{worker}"


ROLE_PERSONAS = ["ministry", "methodologist", "centre", "coordinator", "school_head", "expert", "api_client"]


@dataclass
class World:
    region: object
    mun_a: object
    mun_b: object
    ministry_org: object
    institute: object
    centre: object
    mouo_a: object
    mouo_b: object
    school_a1: object
    school_a2: object
    school_b1: object
    users: dict

    def user(self, persona: str):
        if persona not in self.users and persona in COMBINED_PERSONAS:
            self.users[persona] = self.combined_user(persona)
        return self.users[persona]

    def combined_user(self, persona: str):
        """Two memberships (made on first use, so the usual world keeps one person per role)."""
        (role, organization), (second_role, second_organization) = COMBINED_PERSONAS[persona](self)
        user = user_with_role(persona, role, organization)
        MembershipFactory(user=user, organization=second_organization, role=second_role)
        return user


# The coordinator of municipality A who is also the ministry's API client; the head of school A1 who is also
# an expert at the centre (tests/permission_matrix.py: COMBINED).
COMBINED_PERSONAS = {
    "coordinator_api": lambda w: ((Role.MUNICIPAL_COORDINATOR, w.mouo_a), (Role.API_CLIENT, w.ministry_org)),
    "head_expert": lambda w: ((Role.SCHOOL_HEAD, w.school_a1), (Role.EXPERT, w.centre)),
}


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The region and its personas; the fixture above builds one per test, the fuzz suite one per module."""
    region = RegionFactory()
    mun_a = MunicipalityFactory(region=region, name="Альфинский муниципальный район")
    mun_b = MunicipalityFactory(region=region, name="Бетинский городской округ")
    ministry_org = OrganizationFactory(kind=OrgKind.MINISTRY, code="MIN", short_name="Министерство")
    institute = OrganizationFactory(kind=OrgKind.INSTITUTE, code="IRO", short_name="ИРО")
    centre = OrganizationFactory(kind=OrgKind.ASSESSMENT_CENTRE, code="RCOKO", short_name="РЦОКО")
    mouo_a, mouo_b = MunicipalOfficeFactory(municipality=mun_a), MunicipalOfficeFactory(municipality=mun_b)
    school_a1 = SchoolFactory(municipality=mun_a, code="sch990001", short_name="Школа А1")
    school_a2 = SchoolFactory(municipality=mun_a, code="sch990002", short_name="Школа А2", settlement_type="rural")
    school_b1 = SchoolFactory(municipality=mun_b, code="sch990003", short_name="Школа Б1")
    users = {
        "ministry": user_with_role("ministry", Role.MINISTRY_STAFF, ministry_org),
        "methodologist": user_with_role("methodologist", Role.METHODOLOGIST, institute),
        "centre": user_with_role("centre", Role.CENTRE_OPERATOR, centre),
        "coordinator": user_with_role("coordinator", Role.MUNICIPAL_COORDINATOR, mouo_a),
        "school_head": user_with_role("school_head", Role.SCHOOL_HEAD, school_a1),
        "expert": user_with_role("expert", Role.EXPERT, institute),
        "api_client": user_with_role("api_client", Role.API_CLIENT, mouo_a),
    }
    return World(region, mun_a, mun_b, ministry_org, institute, centre, mouo_a, mouo_b,
                 school_a1, school_a2, school_b1, users)


@pytest.fixture
def client_for(client, world):
    """client_for("coordinator") → a test client signed in as that persona (None → anonymous)."""

    def make(persona: str | None):
        client.logout()
        if persona is not None:
            client.force_login(world.user(persona), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture(autouse=True)
def eager_celery(request, settings, tmp_path):
    """Tasks run in-process unless the test drives a real worker; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.node.get_closest_marker("live_services"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fresh_caches():
    """Cached API answers and tokens of one test must not answer in the next (ids repeat after rollback)."""
    from django.core.cache import cache

    from monitoring.api.caching import forget_tokens

    cache.clear()
    forget_tokens()
    yield


def require_services() -> bool:
    """In CI the live-service tests must run: a missing broker is a failure, not a skip."""
    return os.environ.get("RSOKO_REQUIRE_SERVICES") == "1"
