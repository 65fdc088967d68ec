"""Quarter snapshots never change; the refresh hook and the beat tasks."""
from datetime import date

import pytest
from django.conf import settings

from monitoring import periods
from monitoring.models import IndicatorValue
from monitoring.selectors import indicator_rows
from monitoring.services import indicators_refresh, previous_quarter_freeze, quarter_freeze
from roadmaps.models import Assignment

from .factories import TODAY, build


def region_value(code, period):
    return IndicatorValue.objects.get(indicator__code=code, period=period, key="region").value


def test_frozen_quarter_is_unchanged_after_recompute(world):
    build(world)
    quarter_freeze(period="2026Q4", today=TODAY)
    assert region_value("roadmap_done", "2026Q4") == 25.0
    Assignment.objects.filter(status="not_started").update(status="done")
    assert indicators_refresh("2026Q4", today=TODAY) == {"2026Q4": 0}
    assert region_value("roadmap_done", "2026Q4") == 25.0
    assert IndicatorValue.objects.filter(period="2026Q4", frozen=False).count() == 0


def test_an_open_quarter_follows_its_sources(world):
    build(world)
    indicators_refresh("2026Q4", today=TODAY)
    Assignment.objects.filter(status="not_started").update(status="done")
    indicators_refresh("2026Q4", today=TODAY)
    assert region_value("roadmap_done", "2026Q4") == 50.0


def test_beat_freezes_the_quarter_just_ended(world):
    build(world)
    assert previous_quarter_freeze(today=date(2027, 1, 2)) == "2026Q4"
    assert IndicatorValue.objects.filter(period="2026Q4", frozen=True).exists()
    assert not IndicatorValue.objects.filter(period="2026Q4", frozen=False).exists()


def test_refresh_without_period_computes_the_current_year_and_quarter(world):
    build(world)
    assert set(indicators_refresh(today=TODAY)) == {"2026", "2026Q4"}


def test_beat_schedule_has_the_monitoring_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"monitoring.refresh", "monitoring.freeze_previous_quarter"} <= tasks


def test_periods():
    assert periods.previous("2026Q1") == "2025Q4" and periods.previous("2026") == "2025"
    assert periods.quarter_of(date(2026, 11, 22)) == "2026Q4"
    assert periods.quarter_end("2026Q2") == date(2026, 6, 30)
    with pytest.raises(ValueError):
        periods.parse("2026Q5")


def test_indicator_rows_compare_with_previous_period_and_target(world):
    build(world)
    indicators_refresh("2026", today=TODAY)
    indicators_refresh("2026Q4", today=TODAY)
    IndicatorValue.objects.create(indicator_id=IndicatorValue.objects.filter(indicator__code="vpr_quality")
                                  .values_list("indicator_id", flat=True)[0],
                                  period="2025", level="region", key="region", value=40.0)
    rows = {r["code"]: r for r in indicator_rows(world.user("ministry"), organization=None, period="2026Q4")}
    quality = rows["vpr_quality"]
    assert set(quality) == {"code", "name", "unit", "direction", "value", "previous_value", "target", "period",
                            "level", "mechanism"}
    assert (quality["value"], quality["previous_value"], quality["period"]) == (pytest.approx(130 / 3), 40.0, "2026")
    assert rows["roadmap_done"]["period"] == "2026Q4" and rows["objectivity_index"]["target"] == 90.0
    school = {r["code"]: r for r in indicator_rows(world.user("ministry"), organization=world.school_a1,
                                                   period="2026")}
    assert school["vpr_pct_2"]["value"] == 20.0 and school["vpr_pct_2"]["level"] == "school"
    assert "objectivity_index" not in school  # not a school-level indicator


def test_indicator_rows_follow_the_user_scope(world):
    build(world)
    indicators_refresh("2026", today=TODAY)
    rows = indicator_rows(world.user("coordinator"), organization=world.school_b1, period="2026")
    assert all(r["value"] is None for r in rows)  # another municipality's school: nothing visible
