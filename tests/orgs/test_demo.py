import io

from rsoko.orgs import demo
from rsoko.orgs.choices import OrgKind, Role
from rsoko.orgs.models import Membership, Municipality, Organization


def test_demo_builds_a_believable_region_once(db):
    demo.build(io.StringIO())
    counts = (Municipality.objects.count(), Organization.objects.count(), Membership.objects.count())
    demo.build(io.StringIO())
    assert (Municipality.objects.count(), Organization.objects.count(), Membership.objects.count()) == counts
    assert Municipality.objects.count() == 20
    assert 280 <= Organization.objects.filter(kind=OrgKind.SCHOOL).count() <= 320
    assert Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE).count() == 20
    assert {m.role for m in Membership.objects.all()} == set(Role.values)
