"""The calibrated evaluation on synthetic regions where the answer is known."""
import numpy as np
import pandas as pd
import pytest

from assessments.analytics import objectivity as ob
from assessments.analytics.pipeline import ProcedureInput, year_evaluation
from assessments.synthetic import generate_region

SEEDS = (2021, 7, 99)


def evaluate(region, params=ob.ObjectivityParams()):
    year = region.last_year
    current = [ProcedureInput.from_synthetic(p) for p in region.of_year(year)]
    previous = [ProcedureInput.from_synthetic(p) for p in region.of_year(year - 1)]
    return year_evaluation(current, previous, params=params)


def with_truth(frame, region):
    kinds = region.planted.set_index("school_id")["kind"]
    return frame.assign(kind=frame["school_id"].map(kinds).fillna("clean"))


@pytest.fixture(scope="module", params=SEEDS)
def evaluated(request):
    region = generate_region(seed=request.param)
    return request.param, region, evaluate(region)


def test_finds_planted_schools_and_spares_clean_ones(evaluated):
    seed, region, out = evaluated
    summary = with_truth(out["calibrated_schools"], region)
    assessed = summary[summary["evaluated"]]
    planted = assessed[assessed["kind"] != "clean"]
    clean = assessed[assessed["kind"] == "clean"]
    detection, false_positive = planted["flagged"].mean(), clean["flagged"].mean()
    by_kind = planted.groupby("kind")["flagged"].mean().round(2).to_dict()
    print(f"\nseed {seed}: found {planted['flagged'].sum()}/{len(planted)} planted ({detection:.1%}), "
          f"flagged {clean['flagged'].sum()}/{len(clean)} clean ({false_positive:.1%}); by kind {by_kind}")
    assert len(planted) == len(region.planted)  # planted schools are all large enough to be evaluated
    assert detection >= 0.90
    assert false_positive <= 0.02


def test_small_schools_are_not_evaluated_and_never_flagged(evaluated):
    _, region, out = evaluated
    calibrated = out["calibrated"]
    sizes = pd.concat([p.results for p in region.of_year(region.last_year)]).groupby(
        ["school_id"]).size()
    per_procedure_max = pd.concat(
        [p.results.groupby("school_id").size() for p in region.of_year(region.last_year)], axis=1).max(axis=1)
    small = per_procedure_max[per_procedure_max < 10].index
    assert len(small) > 20 and len(sizes) > len(small)
    rows = calibrated[calibrated["school_id"].isin(small)]
    assert not rows["evaluated"].any() and not rows["flagged"].any()
    assert rows["explanation"].str.startswith("Не оценивалось").all()
    assert not (calibrated["flagged"] & ~calibrated["evaluated"]).any()
    signs = out["signs"]
    assert not (signs["flagged"] & ~signs["evaluated"]).any()


def test_official_mean_rule_flags_honest_strong_schools(evaluated):
    seed, region, out = evaluated
    signs = with_truth(out["signs"], region)
    mean_rule = signs[(signs["criterion"] == "official_mean_ci") & signs["evaluated"]]
    honest = mean_rule[mean_rule["kind"] == "clean"]
    share = honest["flagged"].mean()
    ability = region.schools.set_index("school_id")["ability"]
    flagged_ability = ability.loc[honest.loc[honest["flagged"], "school_id"]].mean()
    summary = out["calibrated_schools"].set_index("school_id")
    calibrated_too = summary.loc[honest.loc[honest["flagged"], "school_id"].unique(), "flagged"].mean()
    print(f"\nseed {seed}: official mean rule flags {share:.1%} of honest school×procedure results "
          f"(mean school ability of those {flagged_ability:+.2f} sd); the calibrated evaluation flags "
          f"{calibrated_too:.1%} of them")
    assert 0.08 <= share <= 0.25
    assert flagged_ability > 0.3  # they are strong schools, not inflated ones
    assert calibrated_too <= 0.02


def test_official_spearman_catches_marks_against_the_journal(evaluated):
    _, region, out = evaluated
    signs = with_truth(out["signs"], region)
    spearman = signs[(signs["criterion"] == "official_spearman") & signs["evaluated"]]
    per_school = spearman.groupby(["school_id", "kind"])["flagged"].any().reset_index()
    assert per_school.loc[per_school["kind"] == "against_journal", "flagged"].all()
    assert per_school.loc[per_school["kind"] == "clean", "flagged"].mean() <= 0.01


def test_p_values_are_calibrated_on_an_honest_region():
    region = generate_region(seed=11, planted_per_kind=0)
    out = evaluate(region)
    calibrated = out["calibrated"]
    for criterion, rows in calibrated[calibrated["evaluated"]].groupby("criterion"):
        share = (rows["p_value"] < 0.05).mean()
        print(f"\nhonest region: P(p < 0.05) for {criterion} = {share:.3f}")
        assert share <= 0.09, criterion
    assert out["calibrated_schools"]["flagged"].mean() <= 0.01


def test_holm_flags_no_more_than_bh():
    region = generate_region(seed=2021)
    bh = evaluate(region)["calibrated"]
    holm = evaluate(region, ob.ObjectivityParams(multiple_testing="holm"))["calibrated"]
    assert holm["flagged"].sum() <= bh["flagged"].sum()
    assert not (holm["flagged"] & ~bh["flagged"]).any()
    assert (holm["q_value"].dropna() >= bh["q_value"].dropna() - 1e-12).all()


def test_calibrated_rows_carry_the_sign_schema(evaluated):
    _, _, out = evaluated
    calibrated = out["calibrated"]
    assert list(calibrated.columns) == [*ob.SIGN_COLUMNS[:-1], "q_value", "explanation"]
    assert set(calibrated["criterion"]) == {c.code for c in ob.CALIBRATED}
    flagged = calibrated[calibrated["flagged"]]
    assert flagged["explanation"].str.contains("признаки необъективности, требующие дополнительного анализа").all()
    assert (flagged["q_value"] <= 0.05).all()
    index = out["index"]
    assert len(index) == 4 and index["index"].between(0, 100).all()
    assert np.allclose(index["index"], 100 - 100 * index["schools_with_signs"] / index["evaluated_schools"])


def test_calibrated_explanations_print_numbers_the_russian_way(evaluated):
    """«z = 11,62 …, p = 1,6·10⁻³¹»: decimal commas, and tiny p-values as powers of ten rather than «1.6e-31»."""
    _, _, out = evaluated
    explanations = out["calibrated"].loc[lambda rows: rows["evaluated"], "explanation"]
    wrong = explanations[~explanations.str.match(r"^[^:]+: z = (−?\d+,\d\d|−?∞) по \d+ процедур(е|ам), p = ")]
    assert wrong.empty, wrong.head().tolist()
    assert explanations.str.contains(r"p = \d(?:,\d)?·10⁻[¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*,").any()
    assert not explanations.str.contains(r"\d\.\d|\de[+-]?\d|-\d").any()


def test_calibrated_explanations_agree_the_count_of_procedures(evaluated):
    """«по 1 процедуре», «по 4 процедурам» (not «по 1 процедурам»)."""
    _, _, out = evaluated
    counted = out["calibrated"]["explanation"].str.extract(r" по (?P<count>\d+) (?P<word>процедур\w+)").dropna()
    singular = counted["count"].astype(int).map(lambda k: k % 10 == 1 and k % 100 != 11)
    expected = singular.map({True: "процедуре", False: "процедурам"})
    assert (counted["count"] == "1").any()
    assert (counted["word"] == expected).all(), counted[counted["word"] != expected].head()
