"""One rule for «the organizations a scope reaches», whether organizations or rows tied to them are filtered."""
from assessments.models import school_scope_filter
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Membership, Organization


def reached(user, capability=None):
    scope = scope_for(user, capability) if capability else scope_for(user)
    return set(Organization.objects.filter(scope.organizations_q()).values_list("code", flat=True))


def test_each_persona_reaches_its_organizations(world):
    assert reached(world.user("school_head")) == {"sch990001"}
    assert {"sch990001", "sch990002", world.mouo_a.code} <= reached(world.user("coordinator"))
    assert "sch990003" not in reached(world.user("coordinator"))
    assert reached(world.user("ministry")) == set(Organization.objects.values_list("code", flat=True))
    assert reached(world.user("expert")) == set()  # an expert's membership reaches no school


def test_rows_by_their_organization_follow_the_same_rule(world):
    coordinator = world.user("coordinator")
    scope = scope_for(coordinator, "results.view")
    by_row = set(Membership.objects.filter(scope.covers_q()).values_list("organization__code", flat=True))
    assert by_row == {world.mouo_a.code, "sch990001"} & set(Membership.objects.values_list("organization__code",
                                                                                           flat=True))
    from assessments.models import ProcedureSchool
    from tests.assessments.catalog.municipal import mpr

    mpr(world, "a"), mpr(world, "b")
    rows = ProcedureSchool.objects.filter(school_scope_filter(coordinator))
    assert set(rows.values_list("school__code", flat=True)) == {"sch990001", "sch990002"}


def test_combined_persona_is_narrowed_by_the_capability(world):
    # The coordinator who is also the ministry's API client: region-wide for the registry, municipal for contexts.
    user = world.user("coordinator_api")
    assert "sch990003" in reached(user) and "sch990003" not in reached(user, "context.view")
