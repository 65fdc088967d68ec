"""Official signs on hand-computed frames; further signs; the wording of explanations."""
from math import comb
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from assessments.analytics import SIGN_WORDING
from assessments.analytics import objectivity as ob


def frame(**columns):
    size = len(next(iter(columns.values())))
    base = {"municipality_id": [1] * size, "class_name": ["4а"] * size, "sex": ["м"] * size,
            "settlement_type": ["город"] * size, "journal_mark": [np.nan] * size, "mark": [np.nan] * size}
    base.update(columns)
    return pd.DataFrame(base).astype({"journal_mark": float, "mark": float, "primary_score": float})


def by_school(rows):
    return rows.set_index("school_id")


def mean_region():
    scores = [15] * 5 + [16] * 5 + list(range(10)) + [20] * 5
    schools = [1] * 10 + [2] * 10 + [3] * 5
    return frame(school_id=schools, primary_score=scores)


def test_official_mean_ci_hand_computed():
    rows = by_school(ob.official_mean_ci(mean_region()))
    # region: mean 12, s² = 1090/24, n = 25 → upper = 12 + 1.96·6.73919/5
    assert rows.loc[1, "threshold"] == pytest.approx(12 + 1.96 * np.sqrt(1090 / 24) / 5)
    assert rows.loc[1, "threshold"] == pytest.approx(14.64176, abs=1e-4)
    # school 1: mean 15.5, s = √(2.5/9), m = 10 → lower = 15.5 − 1.96·0.527046/√10
    assert rows.loc[1, "value"] == pytest.approx(15.17333, abs=1e-4)
    assert rows.loc[1, "flagged"] and rows.loc[1, "evaluated"]
    assert SIGN_WORDING in rows.loc[1, "explanation"]
    assert rows.loc[2, "evaluated"] and not rows.loc[2, "flagged"]
    # school 3 has the highest mean but only 5 participants: not evaluated, never flagged
    assert not rows.loc[3, "evaluated"] and not rows.loc[3, "flagged"]
    assert rows.loc[3, "explanation"].startswith("Не оценивалось")
    assert rows["criterion"].eq("official_mean_ci").all() and rows["version"].eq(1).all()


def test_official_mean_ci_minimum_is_configurable():
    rows = by_school(ob.official_mean_ci(mean_region(), ob.ObjectivityParams(min_participants=20)))
    assert not rows["evaluated"].any() and not rows["flagged"].any()


def test_spearman_matches_scipy_per_school():
    rng = np.random.default_rng(5)
    n = 400
    results = frame(school_id=rng.integers(1, 9, n), journal_mark=rng.integers(2, 6, n).astype(float),
                    primary_score=rng.integers(0, 21, n).astype(float))
    results.loc[rng.random(n) < 0.1, "journal_mark"] = np.nan
    ours = ob.school_spearman(results).set_index("school_id")
    for school, group in results.dropna(subset=["journal_mark"]).groupby("school_id"):
        expected = stats.spearmanr(group["journal_mark"], group["primary_score"])[0]
        assert ours.loc[school, "rho"] == pytest.approx(expected, abs=1e-12)
        assert ours.loc[school, "n"] == len(group)


def spearman_region():
    """School 1 scores against its journal, school 2 with it, school 3 has one mark, school 4 is small."""
    journal = [2, 3, 4, 5, 5, 4, 3, 2, 3, 4]
    reversed_scores = [20 - 4 * (j - 2) for j in journal]
    return frame(
        school_id=[1] * 10 + [2] * 10 + [3] * 10 + [4] * 4,
        journal_mark=journal + journal + [4] * 10 + [2, 3, 4, 5],
        primary_score=reversed_scores + [4 * j for j in journal] + list(range(10)) + [1, 2, 3, 4],
    )


def test_official_spearman_negative_flagged_constant_not_evaluated():
    rows = by_school(ob.official_spearman(spearman_region()))
    assert rows.loc[1, "value"] == pytest.approx(-1.0) and rows.loc[1, "flagged"]
    assert rows.loc[2, "value"] == pytest.approx(1.0) and not rows.loc[2, "flagged"]
    assert not rows.loc[3, "evaluated"] and "не определена" in rows.loc[3, "explanation"]
    assert not rows.loc[4, "evaluated"] and not rows.loc[4, "flagged"]


def cohort_region():
    """Nine evaluated schools with K from 0.5 to 2.0, and a tenth below the minimum in grade 4."""
    ks = [0.5, 0.9, 0.95, 1.0, 1.0, 1.0, 1.05, 1.1, 2.0]
    return pd.DataFrame({
        "school_id": range(1, 11),
        "s4": [50 * k for k in ks] + [150.0], "s5": [50.0] * 10,
        "n4": [20] * 9 + [5], "n5": [20] * 10, "sd4": [10.0] * 10, "sd5": [10.0] * 10,
    })


def test_official_cohort_iqr_rule_hand_computed():
    rows = by_school(ob.official_cohort(cohort_region()))
    # 9 evaluated K: Q25 = 0.95, Q75 = 1.05, IQR = 0.1 → fences 0.65 and 1.35
    assert rows.loc[9, "value"] == pytest.approx(2.0) and rows.loc[9, "flagged"]
    assert rows.loc[9, "threshold"] == pytest.approx(1.35)
    assert "падение" in rows.loc[9, "explanation"]
    assert rows.loc[1, "flagged"] and rows.loc[1, "threshold"] == pytest.approx(0.65)
    assert "рост" in rows.loc[1, "explanation"]
    assert rows.loc[[2, 3, 4, 5, 6, 7, 8], "flagged"].sum() == 0
    assert not rows.loc[10, "evaluated"] and not rows.loc[10, "flagged"]


def test_cohort_frame_aggregates_both_years():
    four = frame(school_id=[1, 1, 2], primary_score=[10, 20, 5])
    five = frame(school_id=[1, 1, 3], primary_score=[5, 15, 10])
    cohort = ob.cohort_frame(four, 20, five, 20).set_index("school_id")
    assert cohort.loc[1, "s4"] == pytest.approx(75.0) and cohort.loc[1, "s5"] == pytest.approx(50.0)
    assert cohort.loc[2, "n5"] == 0 and np.isnan(cohort.loc[2, "s5"])


def heaping_region():
    scores = [6] * 8 + [10] * 4 + ([6] * 5 + [5] * 5 + [10] * 2) * 2
    return frame(school_id=[1] * 12 + [2] * 12 + [3] * 12, primary_score=scores)


def test_heaping_fisher_exact_hand_computed():
    counts = ob.heaping_counts(heaping_region(), {"3": 6}).set_index("school_id")
    assert (counts.loc[1, "at"], counts.loc[1, "below"]) == (8, 0)
    # region pool: 18 at the boundary, 10 below; school 1 draws 8 and all are at it
    assert counts.loc[1, "p_value"] == pytest.approx(comb(18, 8) / comb(28, 8))
    assert counts.loc[1, "p_value"] == pytest.approx(
        stats.fisher_exact([[8, 0], [10, 10]], alternative="greater")[1])
    rows = by_school(ob.heaping_sign(heaping_region(), {"3": 6}, ob.ObjectivityParams(heaping_alpha=0.05)))
    assert rows.loc[1, "flagged"] and rows.loc[1, "value"] == pytest.approx(100.0)
    assert rows.loc[1, "threshold"] == pytest.approx(100 * 18 / 28)
    assert not rows.loc[2, "flagged"]
    strict = by_school(ob.heaping_sign(heaping_region(), {"3": 6}))
    assert not strict.loc[1, "flagged"]  # p ≈ 0.014 is not below the default α = 0.001


def test_heaping_needs_minimum_pairs():
    results = frame(school_id=[1] * 12, primary_score=[6, 6, 6] + [12] * 9)
    rows = ob.heaping_sign(results, {"3": 6})
    assert not rows["evaluated"].iloc[0] and "на границах" in rows["explanation"].iloc[0]


def raised_region():
    """School 1 raised 8 of 10 marks above the journal, schools 2 and 3 one of 10 each."""
    journal = [3.0] * 30
    marks = [4.0] * 8 + [3.0] * 2 + ([4.0] + [3.0] * 9) * 2
    return frame(school_id=[1] * 10 + [2] * 10 + [3] * 10, journal_mark=journal, mark=marks,
                 primary_score=[10] * 30)


def test_raised_marks_binomial_rule():
    rows = by_school(ob.raised_marks_sign(raised_region()))
    assert rows.loc[1, "value"] == pytest.approx(80.0)
    assert rows.loc[1, "threshold"] == pytest.approx(100 / 3 + 20)
    assert rows.loc[1, "p_value"] == pytest.approx(201 / 3 ** 10)
    assert rows.loc[1, "flagged"] and not rows.loc[2, "flagged"]


def test_objectivity_index():
    signs = pd.concat([ob.official_mean_ci(mean_region()), ob.official_spearman(mean_region())])
    index = ob.objectivity_index(signs)
    assert index == {"evaluated_schools": 2, "schools_with_signs": 1, "index": 50.0}


def test_multiple_testing_adjustments():
    p = np.array([0.01, 0.04, 0.03, np.nan, 0.5])
    bh = ob.adjust_p_values(p, "bh")
    # sorted 0.01, 0.03, 0.04, 0.5 (m = 4): 0.04, min(0.06, 0.0533), 0.0533, 0.5
    assert bh[0] == pytest.approx(0.04) and bh[2] == pytest.approx(0.16 / 3) and bh[1] == pytest.approx(0.16 / 3)
    assert np.isnan(bh[3]) and bh[4] == pytest.approx(0.5)
    holm = ob.adjust_p_values(p, "holm")
    assert holm[0] == pytest.approx(0.04) and holm[2] == pytest.approx(0.09) and holm[1] == pytest.approx(0.09)
    with pytest.raises(ValueError):
        ob.adjust_p_values(p, "bonferroni-ish")


ENGLISH_NUMBER = re.compile(r"\d\.\d|\de[+-]?\d|-\d")


def test_explanations_print_numbers_the_russian_way():
    """Decimal commas and a real minus, as everywhere in the Russian UI: the explanations are shown on pages, in
    Excel, in PDF summaries and in the API's text field. The numeric columns stay numbers."""
    loose = ob.ObjectivityParams(heaping_alpha=0.05)
    mean = by_school(ob.official_mean_ci(mean_region()))
    spearman = by_school(ob.official_spearman(spearman_region()))
    cohort = by_school(ob.official_cohort(cohort_region()))
    heaping = by_school(ob.heaping_sign(heaping_region(), {"3": 6}, loose))
    raised = by_school(ob.raised_marks_sign(raised_region()))

    assert "среднего балла школы (15,17) выше верхней границы интервала региона (14,64)" in mean.loc[1, "explanation"]
    assert "ρ = −1,00 < 0:" in spearman.loc[1, "explanation"]
    assert "K = 2,00 > Q75 + 3·IQR = 1,35" in cohort.loc[9, "explanation"]
    assert "K = 0,50 < Q25 − 3·IQR = 0,65" in cohort.loc[1, "explanation"]
    assert "K = 0,90 в пределах [0,65; 1,35]" in cohort.loc[2, "explanation"]
    assert "точный тест Фишера p = 0,014 < 0,05" in heaping.loc[1, "explanation"]
    assert "биномиальный тест p = 0,0034 < 0,01" in raised.loc[1, "explanation"]
    for rows in (mean, spearman, cohort, heaping, raised):
        assert not rows["explanation"].str.contains(ENGLISH_NUMBER).any(), rows["explanation"].tolist()
        assert rows["value"].dtype == float


def test_explanations_never_speak_of_violations():
    signs = pd.concat([ob.official_mean_ci(mean_region()), ob.heaping_sign(heaping_region(), {"3": 6})])
    text = " ".join(signs["explanation"]).lower()
    assert "нарушен" not in text and "списыв" not in text


def test_hypergeometric_tail_equals_scipy():
    k = np.array([0, 1, 3, 5, 8, 2])
    draws = np.array([0, 4, 6, 5, 8, 10])
    ours = ob.hypergeom_upper_tail(k, 60, 25, draws)
    assert ours == pytest.approx(stats.hypergeom.sf(k - 1, 60, 25, draws))
