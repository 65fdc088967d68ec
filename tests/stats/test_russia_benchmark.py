"""Russia's mark distribution, where the ministry entered it, stands beside the region on the procedure page."""
import pytest

from assessments.models import Procedure
from assessments.stats import charts, selectors
from assessments.stats.models import Form, Level, RussiaMarks, StatisticRow
from assessments.stats.views import page_parts
from tests.monitoring.factories import procedure

pytestmark = pytest.mark.django_db


def marks(proc, level, school=None, quality=None):
    return StatisticRow.objects.create(procedure=proc, form=Form.MARKS, level=level, school=school,
                                       municipality=school.municipality if school else None,
                                       data={"pct_2": 10.0, "pct_3": 40.0, "success_pct": 90.0,
                                             "quality_pct": quality})


@pytest.fixture
def years(world):
    """ВПР математика 4 in 2024, 2025 and 2026: the school's and the region's marks each year."""
    procedures = []
    for year in (2024, 2025, 2026):
        proc = procedure(f"VPR-{year}-MA-4", "VPR", 4)
        Procedure.objects.filter(pk=proc.pk).update(year=year)
        marks(proc, Level.SCHOOL, world.school_a1, quality=40.0 + year - 2024)
        marks(proc, Level.REGION, quality=50.0 + year - 2024)
        procedures.append(proc)
    RussiaMarks.objects.create(procedure=procedures[1], pct_2=12.0, pct_3=40.0, pct_4=35.0, pct_5=13.0)
    return procedures


def test_the_dynamics_cover_every_year_with_the_region_and_russia_beside_the_school(world, years):
    group = selectors.Group(Level.SCHOOL, school=world.school_a1)
    points = selectors.procedure_dynamics(world.user("ministry"), years[2], group)
    assert [p["year"] for p in points] == [2024, 2025, 2026]
    assert [p["region_quality_pct"] for p in points] == [50.0, 51.0, 52.0]
    assert [p["russia_quality_pct"] for p in points] == [None, 48.0, None]
    names = [s["name"] for s in charts.dynamics_chart(points)["series"]]
    assert names[-2:] == ["Качество — регион", "Качество — Россия"]


def test_the_marks_chart_adds_russia_only_where_it_was_entered(world, years):
    user, group = world.user("ministry"), selectors.Group(Level.REGION)
    with_russia = page_parts(selectors.procedure_analytics(user, years[1], group))["marks_chart"]
    assert [s["name"] for s in with_russia["series"]] == ["Регион", "Россия"]
    assert with_russia["series"][1]["data"] == [12.0, 40.0, 35.0, 13.0]
    without = page_parts(selectors.procedure_analytics(user, years[2], group))["marks_chart"]
    assert [s["name"] for s in without["series"]] == ["Регион"]
