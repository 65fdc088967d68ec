"""Statistics for the real ФИС ОКО export (ВПР-2021 география 10) against an independent pandas computation.

The files live outside the repository (``../shared/data`` relative to the repo root); the test skips when
they are absent. The input contract is built here from the raw sheet, and every expected figure is
computed with plain pandas groupbys written separately from ``assessments.analytics``.
This export has no mark column, so a test scale is used; it has no municipality either (all rows get 1).
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from assessments.analytics import objectivity as ob
from assessments.analytics import statistics as st

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
EXPORT = DATA / "fisoko_export_vpr2021_geo10.xlsx"
CODIFIER = DATA / "codifier_vpr2021_geo10.xlsx"
NOT_ATTEMPTED = {"X", "x", "Х", "не пройд."}

pytestmark = pytest.mark.skipif(not (EXPORT.exists() and CODIFIER.exists()), reason="../shared/data is absent")


@pytest.fixture(scope="module")
def real():
    codifier = pd.read_excel(CODIFIER, engine="calamine", dtype=str)
    max_column = next(c for c in codifier.columns if c.startswith("Максимальный балл"))
    skill_column = next(c for c in codifier.columns if c.startswith("Умения"))
    block_column = next(c for c in codifier.columns if c.startswith("Блоки ПООП"))
    first = codifier.dropna(subset=["№"]).drop_duplicates("№")
    tasks = pd.DataFrame({
        "position": first["№"].astype(int).to_numpy(),
        "label": first["№ по КИМу"].to_numpy(),
        "max_score": first[max_column].astype(int).to_numpy(),
        "level": first["Уровень сложности"].str.strip().to_numpy(),
        "skill": first[skill_column].fillna("").str.strip().to_numpy(),
        "block": first[block_column].fillna("").str.strip().to_numpy(),
    }).sort_values("position").reset_index(drop=True)
    max_score = int(tasks["max_score"].sum())
    boundaries = {"3": round(max_score * 0.35), "4": round(max_score * 0.6), "5": round(max_score * 0.8)}

    export = pd.read_excel(EXPORT, engine="calamine", dtype=str)
    present = export[export["вариант"].str.strip() != "отсутствовал"].reset_index(drop=True)
    task_columns = [f"балл за {p}" for p in tasks["position"]]
    cells = present[task_columns].apply(lambda col: col.str.strip())
    task_scores = cells.mask(cells.isin(NOT_ATTEMPTED), "0").fillna("0").astype(int).to_numpy()
    journal = pd.to_numeric(present["отметка за предыдущую четверть/триместр"], errors="coerce")
    primary = task_scores.sum(axis=1).astype(float)
    mark = pd.cut(primary, bins=[-1, boundaries["3"] - 1, boundaries["4"] - 1, boundaries["5"] - 1, 10 ** 6],
                  labels=[2, 3, 4, 5]).astype(float)
    results = pd.DataFrame({
        "school_id": present["логин школы"].str.extract(r"(\d+)")[0].astype(int),
        "municipality_id": 1,
        "class_name": present["класс"].fillna("").str.strip().str.lower(),
        "sex": present["пол"].fillna("").str.lower(),
        "journal_mark": journal.astype(float),
        "primary_score": primary,
        "mark": mark,
        "settlement_type": "",
    })
    return results, task_scores, tasks, max_score, boundaries


def test_input_is_what_the_file_says(real):
    results, task_scores, tasks, max_score, _ = real
    assert len(tasks) == 18 and max_score == 21
    assert tasks.loc[tasks["position"] == 17, "label"].iloc[0] == "17К1"
    assert len(results) == 1161 - 122
    assert results["school_id"].nunique() == 92


def test_mark_statistics_match_plain_pandas(real):
    results = real[0]
    ours = st.mark_statistics(results, "school", max_score=real[3]).set_index("school_id")
    counts = pd.crosstab(results["school_id"], results["mark"]).reindex(columns=[2.0, 3.0, 4.0, 5.0], fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0) * 100
    for mark in (2, 3, 4, 5):
        assert np.array_equal(ours[f"count_{mark}"].to_numpy(), counts[float(mark)].reindex(ours.index).to_numpy())
        assert np.allclose(ours[f"pct_{mark}"], shares[float(mark)].reindex(ours.index))
    assert np.allclose(ours["success_pct"], shares[[3.0, 4.0, 5.0]].sum(axis=1).reindex(ours.index))
    assert np.allclose(ours["quality_pct"], shares[[4.0, 5.0]].sum(axis=1).reindex(ours.index))
    assert np.allclose(ours["mean_primary_score"], results.groupby("school_id")["primary_score"].mean())
    region = st.mark_statistics(results, "region").iloc[0]
    assert region["participants"] == len(results)
    assert region["quality_pct"] == pytest.approx((results["mark"] >= 4).mean() * 100)
    classes = st.mark_statistics(results, "class")
    assert len(classes) == results.groupby(["school_id", "class_name"]).ngroups
    assert classes["participants"].sum() == len(results)


def test_journal_comparison_matches_plain_pandas(real):
    results = real[0]
    ours = st.journal_comparison(results, "region").iloc[0]
    both = results.dropna(subset=["journal_mark", "mark"])
    difference = np.sign(both["mark"] - both["journal_mark"]).value_counts()
    assert (ours["lowered"], ours["confirmed"], ours["raised"]) == (difference[-1], difference[0], difference[1])
    assert ours["without_journal_mark"] == results["journal_mark"].isna().sum() == 46
    assert ours["raised_pct"] == pytest.approx(difference[1] / len(both) * 100)


def test_distribution_matches_plain_pandas(real):
    results, _, _, max_score, boundaries = real
    ours = st.score_distribution(results, "school", max_score=max_score, boundaries=boundaries)
    expected = (results.groupby("school_id")["primary_score"].value_counts(normalize=True) * 100)
    expected.index = expected.index.set_names(["school_id", "score"])
    merged = ours.set_index(["school_id", "score"])["pct"]
    aligned = expected.reindex(merged.index, fill_value=0.0)
    assert np.allclose(merged.astype(float), aligned)
    region = st.score_distribution(results, "region", max_score=max_score, boundaries=boundaries)
    assert region["count"].sum() == len(results)


def test_task_rates_by_school_and_mark_match_plain_pandas(real):
    results, task_scores, tasks, _, _ = real
    scores = pd.DataFrame(task_scores, columns=tasks["position"])
    scores["school_id"] = results["school_id"].to_numpy()
    scores["mark"] = results["mark"].to_numpy()
    maxima = tasks.set_index("position")["max_score"]
    by_school = scores.groupby("school_id")[list(tasks["position"])].mean() / maxima * 100
    ours = st.task_solve_rates(results, task_scores, tasks, "school").pivot(
        index="school_id", columns="position", values="solve_pct")
    assert np.allclose(ours.to_numpy(), by_school.reindex(index=ours.index, columns=ours.columns).to_numpy())
    by_mark = scores.groupby("mark")[list(tasks["position"])].mean() / maxima * 100
    ours_mark = st.task_solve_rates_by_mark(results, task_scores, tasks, "region")
    ours_mark = ours_mark[ours_mark["participants"] > 0].pivot(index="mark", columns="position", values="solve_pct")
    assert np.allclose(ours_mark.to_numpy(), by_mark.reindex(index=ours_mark.index.astype(float)).to_numpy())


def test_planned_results_by_skill_match_plain_pandas(real):
    results, task_scores, tasks, _, _ = real
    points = pd.Series(task_scores.sum(axis=0), index=tasks.index)
    frame = tasks.assign(points=points, possible=tasks["max_score"] * len(results))
    expected = frame.groupby(["skill", "level"])[["points", "possible"]].sum()
    expected = expected["points"] / expected["possible"] * 100
    ours = st.planned_results(results, task_scores, tasks, "region").set_index(["item", "task_level"])
    assert np.allclose(ours["achievement_pct"], expected.reindex(ours.index))
    assert len(ours) == len(expected)


def test_official_signs_on_the_real_export(real):
    results = real[0]
    ours = ob.official_mean_ci(results).set_index("school_id")
    scores = results["primary_score"]
    upper = scores.mean() + 1.96 * scores.std() / np.sqrt(len(scores))
    for school, group in results.groupby("school_id"):
        m = len(group)
        if m < 10:
            assert not ours.loc[school, "evaluated"]
            continue
        lower = group["primary_score"].mean() - 1.96 * group["primary_score"].std() / np.sqrt(m)
        assert ours.loc[school, "value"] == pytest.approx(lower)
        assert ours.loc[school, "flagged"] == (lower > upper)
    spearman = ob.official_spearman(results).set_index("school_id")
    for school, group in results.dropna(subset=["journal_mark"]).groupby("school_id"):
        if len(group) >= 10:
            expected = stats.spearmanr(group["journal_mark"], group["primary_score"])[0]
            assert spearman.loc[school, "value"] == pytest.approx(expected, nan_ok=True)
    evaluated = ours[ours["evaluated"]]
    print(f"\nreal export: official mean rule flags {evaluated['flagged'].sum()} of {len(evaluated)} evaluated "
          f"schools; Spearman < 0 flags {spearman['flagged'].sum()}")
