"""Every built-in indicator against the numbers worked out by hand on the fixture of factories.build."""
import pytest

from monitoring.models import IndicatorValue
from monitoring.registry import BUILTINS
from monitoring.services import indicators_refresh

from .factories import TODAY, build

# (code, level, group) → expected value. Groups: "region", "A", "B" (municipalities), "a1", "a2", "b1".
EXPECTED = {
    # А1 is the one school flagged by an official criterion; it wrote ВПР under independent checking
    "flagged_rechecked": {"region": 100.0, "A": 100.0},
    "ege_mean_pct": {},  # no ЕГЭ in this world, no observers' reports: no values anywhere
    "observer_violations": {},
    # ВПР marks: А1 2/3/4/1 of 10, А2 5/5/0/0 of 10, Б1 0/2/4/4 of 10
    "vpr_pct_2": {"region": 7 / 30 * 100, "A": 35.0, "B": 0.0, "a1": 20.0, "a2": 50.0, "b1": 0.0},
    "vpr_success": {"region": 23 / 30 * 100, "A": 65.0, "B": 100.0, "a1": 80.0, "a2": 50.0, "b1": 100.0},
    "vpr_quality": {"region": 13 / 30 * 100, "A": 25.0, "B": 80.0, "a1": 50.0, "a2": 0.0, "b1": 80.0},
    # mean % weighted by participants: (60·10 + 40·12 + 80·10) / 32
    "vpr_mean_pct": {"region": 1880 / 32, "A": 1080 / 22, "B": 80.0, "a1": 60.0, "a2": 40.0, "b1": 80.0},
    "oge_pct_2": {"region": 25.0, "A": 25.0, "a1": 25.0},
    "oge_success": {"region": 75.0, "A": 75.0, "a1": 75.0},
    "oge_quality": {"region": 50.0, "A": 50.0, "a1": 50.0},
    "oge_mean_pct": {"region": 50.0, "A": 50.0, "a1": 50.0},
    "vpr_journal_confirmed": {"region": 10 / 15 * 100, "A": 60.0, "B": 80.0, "a1": 60.0, "b1": 80.0},
    # present / listed: А1 3 of 4, Б1 2 of 2 (А2's superseded version ignored)
    "participation": {"region": 5 / 6 * 100, "A": 75.0, "B": 100.0, "a1": 75.0, "b1": 100.0},
    # official signs: А1 flagged; А2, Б1 evaluated clean (Б1's unevaluated flag does not count)
    "objectivity_index": {"region": 100 - 100 / 3, "A": 50.0, "B": 100.0},
    "schools_with_signs": {"region": 100 / 3, "A": 50.0, "B": 0.0},
    "schools_with_any_signs": {"region": 200 / 3, "A": 100.0, "B": 0.0},
    "federal_two_years": {"region": 100 / 3, "A": 50.0, "B": 0.0},
    "controlled_sample": {"region": 100 / 3, "A": 50.0, "B": 0.0},
    # risk pupils / participants of the year: А1 3 / 14, А2 0 / 12, Б1 1 / 10
    "risk_share": {"region": 4 / 36 * 100, "A": 3 / 26 * 100, "B": 10.0, "a1": 3 / 14 * 100, "a2": 0.0, "b1": 10.0},
    "shnor_share": {"region": 100 / 3, "A": 50.0, "B": 0.0},
    # last year's ШНОР: А1 left the list (improving), А2 stayed and went down 30 → 25
    "shnor_improving": {"region": 50.0, "A": 50.0},
    "high_results_share": {"region": 100 / 3, "A": 0.0, "B": 100.0},
    # assignments (sections and cancelled left out): МОУО А done, А1 overdue, А1 in progress, МОУО Б not started
    "roadmap_done": {"region": 25.0, "A": 100 / 3, "B": 0.0, "a1": 0.0},
    "roadmap_overdue": {"region": 25.0, "A": 100 / 3, "B": 0.0, "a1": 50.0},
    # last round past its due date: МОУО А reported on time, МОУО Б did not
    "reports_on_time": {"region": 50.0, "A": 100.0, "B": 0.0},
}


def group_key(world, name):
    return {"region": "region", "A": f"m{world.mun_a.pk}", "B": f"m{world.mun_b.pk}", "a1": f"s{world.school_a1.pk}",
            "a2": f"s{world.school_a2.pk}", "b1": f"s{world.school_b1.pk}"}[name]


@pytest.fixture
def computed(world):
    build(world)
    counts = indicators_refresh("2026", today=TODAY)
    counts.update(indicators_refresh("2026Q4", today=TODAY))
    return {(v.indicator.code, v.key): v.value for v in IndicatorValue.objects.select_related("indicator")}


def test_there_are_at_least_twenty_computed_builtins():
    assert len([b for b in BUILTINS if not b.is_manual]) >= 20
    assert set(EXPECTED) == {b.code for b in BUILTINS if not b.is_manual}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_builtin_indicator_matches_the_hand_computation(code, computed, world):
    for group, expected in EXPECTED[code].items():
        key = group_key(world, group)
        assert (code, key) in computed, f"{code}: no value for {group}"
        assert computed[(code, key)] == pytest.approx(expected), f"{code} for {group}"


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_no_value_where_the_indicator_has_no_data_or_no_level(code, computed, world):
    """Groups not listed above get no row (or an empty value), e.g. ОГЭ for Б1 or the index for a school."""
    listed = {group_key(world, g) for g in EXPECTED[code]}
    extra = {key: value for (c, key), value in computed.items() if c == code and key not in listed}
    assert all(value is None for value in extra.values()), extra


def test_quarterly_indicators_go_to_the_quarter_and_yearly_to_the_year(computed):
    periods = dict(IndicatorValue.objects.values_list("indicator__code", "period").distinct())
    assert periods["roadmap_done"] == "2026Q4"
    assert periods["vpr_quality"] == "2026"


def test_the_catalogue_names_the_levels_in_russian_on_the_page_and_in_excel(world, client_for):
    import io

    from openpyxl import load_workbook

    from monitoring.models import Indicator

    build(world)
    indicator = Indicator.objects.filter(levels=["region", "municipality", "school"]).first()
    assert indicator.levels_display == "Регион, муниципалитет, ОО"
    client = client_for("ministry")
    page = client.get("/monitoring/indicators/").content.decode()
    assert "Регион, муниципалитет, ОО" in page and "region, municipality" not in page
    response = client.get("/monitoring/indicators/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    levels = rows[0].index("Уровни")
    assert {row[levels] for row in rows[1:]} >= {"Регион, муниципалитет, ОО"}
    assert not any("municipality" in str(row[levels]) for row in rows[1:])
