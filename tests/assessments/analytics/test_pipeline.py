import pytest

from assessments.analytics import pipeline as pl
from assessments.synthetic import generate_region


@pytest.fixture(scope="module")
def computed():
    region = generate_region(seed=8, n_schools=120)
    year = region.last_year
    current = [pl.ProcedureInput.from_synthetic(p) for p in region.of_year(year)]
    previous = [pl.ProcedureInput.from_synthetic(p) for p in region.of_year(year - 1)]
    context = region.schools[["school_id", "settlement_type", "size"]]
    return region, pl.region_year(current, previous, context=context)


def test_region_year_returns_every_table(computed):
    region, out = computed
    assert set(out) >= {"statistics", "risk", "signs", "calibrated", "calibrated_schools", "index", "shnor",
                        "high_results"}
    first = out["statistics"][0]
    assert set(first) == {"marks", "journal", "distribution", "tasks", "skills", "blocks", "tasks_by_mark"}
    marks = first["marks"]
    assert set(marks["level"]) == {"region", "municipality", "school", "class"}
    assert (marks["procedure"] == "RU4-2021").all()
    assert marks.loc[marks["level"] == "region", "participants"].iloc[0] == len(region.of_year(2021)[0].results)
    signs = out["signs"]
    assert {"official_mean_ci", "official_spearman", "official_cohort", "heaping", "raised_marks"} <= set(
        signs["criterion"])
    assert {"settlement_type", "size", "selected"} <= set(out["shnor"].columns)


def test_exclusion_choice(computed):
    region, _ = computed
    year = region.last_year
    current = [pl.ProcedureInput.from_synthetic(p) for p in region.of_year(year)]
    with pytest.raises(ValueError):
        pl.region_year(current, [], exclude_by="whatever")
