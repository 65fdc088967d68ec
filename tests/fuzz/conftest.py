"""One populated region for the whole fuzz module, so that generated ids hit real objects.

Building the region with results, recomputed analytics, roadmaps, indicator values, fieldwork and the bank of
materials takes seconds; the fuzz suite has one test per (persona, operation), so the data is built once per
module inside a transaction that is rolled back at the end. Each test then runs in a savepoint of it
(pytest-django's `db` fixture nests), so what a write test creates disappears before the next test.
"""
from dataclasses import dataclass

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, transaction

from tests.conftest import ROLE_PERSONAS, World, build_world


@dataclass
class FuzzWorld:
    world: World
    tokens: dict  # persona → DRF token key


def _populate(world: World) -> None:
    """Every kind of object the API serves, reusing the fixtures of the apps' own tests."""
    from monitoring.services import indicators_refresh
    from tests.fieldwork.matrix_objects import objects as fieldwork_objects
    from tests.kimbank.factories import bank
    from tests.monitoring.factories import TODAY, build as monitoring_build
    from tests.public.fixtures import calendar_procedures, public_roadmaps
    from tests.reports.factories import archived
    from tests.roadmaps.factories import roadmap_world
    from tests.stats.factories import analysed_procedure

    monitoring_build(world)  # VPR/OGE 2026 and VPR 2025 with stored statistics, signs, lists, a roadmap
    indicators_refresh("2026", today=TODAY)
    indicators_refresh("2026Q4", today=TODAY)
    analysed_procedure(world)  # VPR 2021 with pupils' results, recomputed: statistics, deficits, risk pupils
    fieldwork_objects(world)  # experts, a cross-check campaign, assignments, observers
    bank(world)  # КИМ variants in use by a procedure of school А1
    calendar_procedures(world)
    public_roadmaps(world)
    roadmap_world(world)
    for organization in (world.ministry_org, world.mouo_a, world.mouo_b, world.school_a1):
        archived(world, organization)
    _jobs(world)


def _jobs(world: World) -> None:
    from rsoko.jobs.models import Job

    for persona, organization in (("centre", world.centre), ("coordinator", world.mouo_a),
                                  ("school_head", world.school_a1)):
        Job.objects.create(kind="results_import", title="Загрузка результатов", handler="fuzz.noop",
                           created_by=world.user(persona), organization=organization, status="done", percent=100)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    from rsoko.orgs.services import api_token_issue

    # Requests go through the real WSGI handler, which closes the connection after each request (Django's test
    # client turns that off too): on PostgreSQL that would end the module's transaction and its data.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        outer = [transaction.atomic(using=alias) for alias in connections]
        for atomic in outer:
            atomic.__enter__()
        try:
            world = build_world()
            _populate(world)
            tokens = {persona: api_token_issue(actor=None, user=world.user(persona)) for persona in ROLE_PERSONAS}
            yield FuzzWorld(world, tokens)
        finally:
            for alias in connections:
                transaction.set_rollback(True, using=alias)
            for atomic in reversed(outer):
                atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
