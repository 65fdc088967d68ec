"""The demo builds the bank, links the demo expert and, when results exist, a campaign — twice gives the same."""
import io

from assessments.fieldwork import demo
from assessments.fieldwork.models import Assignment, Campaign, Expert, ObserverAssignment

from . import factories
from .conftest import HONEST, INFLATED


def test_demo_without_results_builds_the_bank_and_skips_the_campaign(world):
    out = io.StringIO()
    demo.build(out)
    assert Expert.objects.count() == demo.EXPERT_COUNT
    assert Expert.objects.get(user=world.user("expert")).code == demo.DEMO_EXPERT_CODE
    assert not Campaign.objects.exists() and "кампания не создана" in out.getvalue()


def test_demo_with_results_is_idempotent(world):
    proc = factories.procedure(code="VPR-2026-MA-4", year=2026)
    factories.school_results(proc, world.school_a1, INFLATED)
    factories.school_results(proc, world.school_b1, HONEST)
    factories.school_results(proc, world.school_a2, HONEST)
    # The test region is tiny: two more mathematicians at the institute make the bank big enough.
    factories.ExpertFactory.create_batch(2, organization=world.institute)
    for _ in range(2):
        out = io.StringIO()
        demo.build(out)
    assert "уже есть" in out.getvalue()
    assert Expert.objects.count() == demo.EXPERT_COUNT + 2
    assert Campaign.objects.count() == 1
    campaign = Campaign.objects.get()
    assert campaign.seed == 2026 and Assignment.objects.filter(work__campaign=campaign).count() == \
        2 * campaign.works.count() > 0
    assert ObserverAssignment.objects.count() == 3
