"""Memberships must not widen each other (issue 16, item 2): a right applies only within the reach of the
membership that grants it. The coordinator of municipality A who is also the ministry's API client (region-wide)
reads and loads pupil results of A only."""
import pytest

from assessments.models import ParticipantResult, ResultVersion
from assessments.services import results_import
from assessments.stats.selectors import default_group, resolve_group
from django.http import Http404
from rsoko.orgs.access import scope_for
from rsoko.orgs.choices import Role
from tests.assessments.factories import procedure_with_tasks, template_rows, xlsx_bytes
from tests.factories import MembershipFactory, user_with_role


@pytest.fixture
def coordinator_api(world):
    return world.user("coordinator_api")


@pytest.fixture
def loaded(world):
    """Results of a school in A and one in B, loaded by the centre."""
    procedure = procedure_with_tasks()
    rows = [(world.school_a1.code, "1", [1, 1, 2, 2]), (world.school_b1.code, "2", [1, 1, 2, 2])]
    results_import(actor=world.user("centre"), procedure=procedure, filename="r.xlsx",
                   data=xlsx_bytes(template_rows(rows)))
    return procedure


def test_the_scope_of_a_capability_is_that_of_the_memberships_granting_it(world, coordinator_api):
    merged = scope_for(coordinator_api)
    assert merged.region_wide  # the API membership reaches the region: the registry, indicators, roadmaps
    results = scope_for(coordinator_api, "results.view")
    assert not results.region_wide and results.municipality_ids == {world.mun_a.id}
    assert scope_for(coordinator_api, "registry.view").region_wide
    assert scope_for(coordinator_api, "kim.review").is_empty
    assert scope_for(coordinator_api, "results.view", "jobs.view").municipality_ids == {world.mun_a.id}


def test_pupil_results_stay_within_the_coordinators_municipality(world, coordinator_api, loaded):
    schools = set(ParticipantResult.objects.visible_to(coordinator_api).values_list("school", flat=True))
    assert schools == {world.school_a1.id}
    versions = ResultVersion.objects.visible_to(coordinator_api)
    assert set(versions.values_list("school", flat=True)) == {world.school_a1.id}


def test_the_api_membership_does_not_open_uploads_for_the_region(world, coordinator_api, loaded):
    rows = [(world.school_b1.code, "5", [1, 1, 1, 1])]
    with pytest.raises(Exception, match="вне вашей зоны ответственности"):
        results_import(actor=coordinator_api, procedure=loaded, filename="r.xlsx", data=xlsx_bytes(template_rows(rows)))


def test_statistics_start_at_the_municipality_and_refuse_another(world, coordinator_api, loaded):
    assert default_group(coordinator_api).municipality == world.mun_a
    with pytest.raises(Http404):
        resolve_group(coordinator_api, municipality_id=str(world.mun_b.id))
    with pytest.raises(Http404):
        resolve_group(coordinator_api, school_id=str(world.school_b1.id))


def test_pages_and_api_of_another_municipality_are_not_found(world, client_for, loaded):
    client = client_for("coordinator_api")
    assert client.get(f"/results/versions/{loaded.code}/{world.school_b1.code}/").status_code == 404
    assert client.get(f"/results/versions/{loaded.code}/{world.school_a1.code}/").status_code == 200
    listed = client.get("/api/v1/results/uploads/").json()
    assert listed["count"] == 1  # the centre's batch, through its version in A


def test_a_ministry_employee_who_heads_a_school_fills_monitoring_forms_for_that_school_only(world):
    """Region-wide reach of one membership does not make another's function (filling forms) region-wide."""
    user = user_with_role("two_hats", Role.MINISTRY_STAFF, world.ministry_org)
    MembershipFactory(user=user, organization=world.school_a1, role=Role.SCHOOL_HEAD)
    fill = scope_for(user, "monitoring.fill")
    assert not fill.region_wide and fill.school_ids == {world.school_a1.id}


def test_an_expert_membership_adds_no_reach_to_a_school_head(world):
    head_expert = world.user("head_expert")
    assert scope_for(head_expert, "results.view").school_ids == {world.school_a1.id}
    assert world.centre.id not in scope_for(head_expert, "roadmaps.view").organization_ids
