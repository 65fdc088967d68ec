"""The monitoring demo: every built-in indicator gets a region value; building twice changes nothing."""
import io

from monitoring import demo
from monitoring.models import FormAnswer, Indicator, IndicatorValue
from rsoko.orgs.models import Organization


def test_demo_builds_every_indicator_and_is_idempotent(world, settings):
    Organization.objects.filter(kind="school").update(level_ooo=True)
    demo.build(io.StringIO())
    first = sorted(IndicatorValue.objects.values_list("indicator__code", "period", "key", "value"))
    answers = FormAnswer.objects.count()
    demo.build(io.StringIO())
    assert sorted(IndicatorValue.objects.values_list("indicator__code", "period", "key", "value")) == first
    assert FormAnswer.objects.count() == answers > 0
    years = IndicatorValue.objects.exclude(period__contains="Q").values_list("period", flat=True)
    year = str(max(int(p) for p in years))
    with_region = set(IndicatorValue.objects.filter(key="region", period__startswith=year, value__isnull=False)
                      .values_list("indicator__code", flat=True))
    # indicators that need a history or lists the tiny world cannot produce are checked on the demo region
    needs_more = {"shnor_improving", "objectivity_index", "schools_with_signs", "schools_with_any_signs",
                  "federal_two_years", "shnor_share", "high_results_share", "risk_share", "vpr_pct_2", "vpr_success",
                  "vpr_quality", "vpr_mean_pct", "vpr_journal_confirmed", "roadmap_done", "roadmap_overdue",
                  "reports_on_time", "ege_mean_pct", "observer_violations", "flagged_rechecked"}
    assert set(Indicator.objects.values_list("code", flat=True)) - needs_more <= with_region
