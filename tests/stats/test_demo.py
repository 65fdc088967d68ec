import io

from assessments.models import ParticipantResult, Procedure
from assessments.stats import demo
from assessments.stats.models import ObjectivityIndex, StatisticRow


def test_the_demo_lays_results_over_the_registry_schools_and_recomputes_them(world):
    demo.build(io.StringIO())
    first, second = demo.demo_years()
    codes = set(Procedure.objects.filter(statistics__isnull=False).values_list("code", flat=True).distinct())
    assert {f"VPR-{second}-MA-4", f"VPR-{second}-RU-5", f"VPR-{first}-RU-4"} <= codes
    schools = set(ParticipantResult.objects.values_list("school_id", flat=True).distinct())
    assert schools <= {world.school_a1.pk, world.school_a2.pk, world.school_b1.pk} and schools
    counts = (ParticipantResult.objects.count(), StatisticRow.objects.count())
    demo.build(io.StringIO())
    assert (ParticipantResult.objects.count(), StatisticRow.objects.count()) == counts
    assert ObjectivityIndex.objects.filter(year=second, procedure__isnull=True).exists()
