import pandas as pd
import pytest

from assessments.analytics.shnor import ShnorRule, high_results_schools, low_results_schools, school_results

RULE = ShnorRule(share=0.2)


def aggregates():
    rows = []
    for school in range(1, 11):
        for year in (2020, 2021):
            for procedure in ("P1", "P2"):
                pct = school * 10.0
                if year == 2021 and school == 2 and procedure == "P1":
                    pct = 95.0
                rows.append({"year": year, "procedure": procedure, "school_id": school, "participants": 20,
                             "mean_pct": pct})
    for year in (2020, 2021):
        for procedure in ("P1", "P2"):
            rows.append({"year": year, "procedure": procedure, "school_id": 11, "participants": 5, "mean_pct": 0.0})
    return pd.DataFrame(rows)


def test_low_results_two_procedures_two_years_running():
    frame = low_results_schools(aggregates(), RULE).set_index("school_id")
    assert frame.index[frame["selected"]].tolist() == [1]
    assert frame.loc[1, "procedures_in_tail"] == 2 and frame.loc[1, "years_qualified"] == 2
    # school 2 qualified in 2020 only; school 3 is in the tail of one procedure in 2021
    assert frame.loc[2, "years_qualified"] == 1 and not frame.loc[2, "selected"]
    assert frame.loc[3, "procedures_in_tail"] == 1 and not frame.loc[3, "selected"]
    assert 11 not in frame.index  # five participants: below the minimum, not evaluated
    assert "в 2 из 2 лет" in frame.loc[1, "reason"]


def test_schools_with_signs_are_left_out_and_said_so():
    signs = pd.DataFrame({"school_id": [1], "year": [2021]})
    frame = low_results_schools(aggregates(), RULE, signs=signs).set_index("school_id")
    assert frame.loc[1, "meets_rule"] and frame.loc[1, "has_signs"] and not frame.loc[1, "selected"]
    assert "признаки необъективности" in frame.loc[1, "reason"]
    kept = low_results_schools(aggregates(), ShnorRule(share=0.2, exclude_signs=False), signs=signs)
    assert kept.loc[kept["selected"], "school_id"].tolist() == [1]


def test_high_results_mirror_rule_with_context():
    context = pd.DataFrame({"school_id": range(1, 12), "settlement_type": ["город"] * 11, "size": [20] * 11})
    frame = high_results_schools(aggregates(), RULE, context=context).set_index("school_id")
    assert frame.index[frame["selected"]].tolist() == [10]
    assert frame.loc[10, "settlement_type"] == "город"
    assert frame.loc[9, "procedures_in_tail"] == 1


def test_one_year_rule_and_explicit_year():
    frame = low_results_schools(aggregates(), ShnorRule(share=0.2, years_running=1), year=2020)
    assert sorted(frame.loc[frame["selected"], "school_id"]) == [1, 2]


def test_school_results_from_procedures():
    results = pd.DataFrame({"school_id": [1, 1, 2], "primary_score": [10.0, 20.0, 5.0]})
    frame = school_results([(2021, "MA4", results, 20)]).set_index("school_id")
    assert frame.loc[1, "mean_pct"] == pytest.approx(75.0) and frame.loc[1, "participants"] == 2
    assert frame.loc[2, "procedure"] == "MA4"
