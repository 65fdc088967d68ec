import numpy as np
import pandas as pd
import pytest

from assessments.analytics import statistics as st

from .hand_frames import BOUNDARIES, MAX_SCORE, hand_results, hand_task_scores, hand_tasks


def row(frame, **keys):
    selected = frame
    for column, value in keys.items():
        selected = selected[selected[column] == value]
    assert len(selected) == 1, keys
    return selected.iloc[0]


def test_mark_statistics_region():
    frame = st.mark_statistics(hand_results(), "region", max_score=MAX_SCORE)
    assert len(frame) == 1
    r = frame.iloc[0]
    assert r["level"] == "region" and pd.isna(r["school_id"]) and pd.isna(r["municipality_id"])
    assert (r["count_2"], r["count_3"], r["count_4"], r["count_5"]) == (1, 3, 2, 2)
    assert r["pct_3"] == pytest.approx(37.5)
    assert r["success_pct"] == pytest.approx(87.5)
    assert r["quality_pct"] == pytest.approx(50.0)
    assert r["mean_primary_score"] == pytest.approx(10.5)
    assert r["mean_score_pct"] == pytest.approx(52.5)
    assert not r["group_informative"] and "Менее 10" in r["warning"]


def test_mark_statistics_school_and_class_levels():
    schools = st.mark_statistics(hand_results(), "school")
    one = row(schools, school_id=1)
    assert one["municipality_id"] == 10 and one["participants"] == 5
    assert one["success_pct"] == pytest.approx(80.0) and one["quality_pct"] == pytest.approx(60.0)
    assert one["mean_primary_score"] == pytest.approx(11.4)
    two = row(schools, school_id=2)
    assert two["success_pct"] == pytest.approx(100.0) and two["quality_pct"] == pytest.approx(100 / 3)
    classes = st.mark_statistics(hand_results(), "class")
    assert len(classes) == 3
    b = row(classes, school_id=1, class_name="4б")
    assert (b["count_2"], b["count_5"], b["mean_primary_score"]) == (1, 1, 10.0)
    municipalities = st.mark_statistics(hand_results(), "municipality")
    assert list(municipalities["municipality_id"]) == [10, 20] and municipalities["school_id"].isna().all()


def test_mark_percentages_are_over_marked_pupils_only():
    results = hand_results()
    results.loc[0, "mark"] = np.nan
    r = st.mark_statistics(results, "region").iloc[0]
    assert r["participants"] == 8 and r["marked"] == 7
    assert r["pct_5"] == pytest.approx(100 / 7)


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="Неизвестный уровень"):
        st.mark_statistics(hand_results(), "district")


def test_journal_comparison():
    r = st.journal_comparison(hand_results(), "region").iloc[0]
    assert (r["compared"], r["without_journal_mark"]) == (7, 1)
    assert (r["lowered"], r["confirmed"], r["raised"]) == (2, 3, 2)
    assert r["raised_pct"] == pytest.approx(200 / 7)
    two = row(st.journal_comparison(hand_results(), "school"), school_id=2)
    assert (two["lowered"], two["confirmed"], two["raised"]) == (1, 1, 1)


def test_score_distribution_with_boundaries():
    frame = st.score_distribution(hand_results(), "school", max_score=MAX_SCORE, boundaries=BOUNDARIES)
    two = frame[frame["school_id"] == 2]
    assert len(two) == MAX_SCORE + 1
    assert two.set_index("score").loc[[6, 9, 12], "count"].tolist() == [1, 1, 1]
    assert two["pct"].sum() == pytest.approx(100.0)
    assert two.set_index("score").loc[6, "pct"] == pytest.approx(100 / 3)
    boundary = two.set_index("score")["boundary_of"]
    assert (boundary[6], boundary[10], boundary[15], boundary[5]) == ("3", "4", "5", "")
    assert two.set_index("score").loc[[5, 6, 14, 15], "mark"].tolist() == [2, 3, 4, 5]
    assert not two["histogram_informative"].any()


def test_task_solve_rates_with_benchmarks():
    frame = st.task_solve_rates(hand_results(), hand_task_scores(), hand_tasks(), "school")
    assert len(frame) == 6
    one = frame[frame["school_id"] == 1].set_index("position")
    assert one["solve_pct"].tolist() == pytest.approx([60.0, 60.0, 40.0])
    assert one["region_solve_pct"].tolist() == pytest.approx([62.5, 56.25, 100 * 10 / 24])
    assert one["municipality_solve_pct"].tolist() == pytest.approx([60.0, 60.0, 40.0])
    two = frame[frame["school_id"] == 2].set_index("position")
    assert two["solve_pct"].tolist() == pytest.approx([200 / 3, 50.0, 400 / 9])


def test_task_scores_must_match_participants():
    with pytest.raises(ValueError, match="не совпадает"):
        st.task_solve_rates(hand_results(), hand_task_scores()[:5], hand_tasks(), "region")


def test_planned_results_by_skill_and_status():
    frame = st.planned_results(hand_results(), hand_task_scores(), hand_tasks(), "region")
    a = row(frame, item="Умение А")
    assert a["achievement_pct"] == pytest.approx(100 * 14 / 24)
    assert a["threshold"] == 60 and not a["sufficient"] and a["status"] == st.UNCERTAIN
    b = row(frame, item="Умение Б")
    assert b["task_level"] == "П" and b["status"] == st.ACHIEVED and b["threshold"] == 30
    schools = st.planned_results(hand_results(), hand_task_scores(), hand_tasks(), "school")
    assert row(schools, school_id=1, item="Умение А")["sufficient"]
    assert row(schools, school_id=2, item="Умение А")["status"] == st.NOT_ACHIEVED


def test_planned_results_by_block_skips_empty_block():
    frame = st.planned_results(hand_results(), hand_task_scores(), hand_tasks(), "region", by="block")
    assert sorted(zip(frame["item"], frame["task_level"])) == [("Блок 1", "Б"), ("Блок 1", "П")]
    assert row(frame, task_level="Б")["achievement_pct"] == pytest.approx(62.5)


@pytest.mark.parametrize("pct,level,status", [
    (63.01, "Б", "achieved"), (63.0, "Б", "uncertain"), (57.0, "Б", "uncertain"), (56.99, "Б", "not_achieved"),
    (31.6, "В", "achieved"), (28.5, "П", "uncertain"), (28.4, "П", "not_achieved"),
])
def test_achievement_zones(pct, level, status):
    assert st.achievement_status([pct], [level])[2][0] == status


def test_task_solve_rates_by_mark():
    frame = st.task_solve_rates_by_mark(hand_results(), hand_task_scores(), hand_tasks(), "region")
    assert len(frame) == 4 * 3
    five = frame[frame["mark"] == 5].set_index("position")
    assert five["solve_pct"].tolist() == pytest.approx([100.0, 100.0, 400 / 6])
    assert (five["participants"] == 2).all()
    three = frame[frame["mark"] == 3].set_index("position")
    assert three["solve_pct"].tolist() == pytest.approx([100 / 3, 100 / 3, 100 / 9])


def test_dynamics_change_against_previous_year():
    first = st.mark_statistics(hand_results(), "school").assign(year=2020)
    later = hand_results()
    later.loc[3, "mark"] = 3.0
    second = st.mark_statistics(later, "school").assign(year=2021)
    frame = st.dynamics(pd.concat([second, first]))
    one = frame[(frame["school_id"] == 1) & (frame["year"] == 2021)].iloc[0]
    assert one["previous_year"] == 2020
    assert one["success_pct_change"] == pytest.approx(20.0)
    assert pd.isna(frame[(frame["school_id"] == 1) & (frame["year"] == 2020)].iloc[0]["success_pct_change"])


def test_score_to_mark():
    assert st.score_to_mark([0, 5, 6, 9, 10, 15, 20], BOUNDARIES).tolist() == [2, 2, 3, 3, 4, 5, 5]


def test_individual_results_codes_and_task_columns():
    results = hand_results()
    school = results["school_id"] == 2
    frame = st.individual_results(results[school], hand_task_scores()[school.to_numpy()], hand_tasks())
    assert frame["participant_code"].tolist() == ["p5", "p6", "p7"]
    assert frame[["task_1", "task_2", "task_3"]].to_numpy().tolist() == [[1, 2, 3], [0, 1, 1], [1, 0, 0]]


def test_dynamics_at_region_level_with_missing_keys():
    first = st.mark_statistics(hand_results(), "region", max_score=MAX_SCORE).assign(year=2020)
    later = hand_results()
    later["primary_score"] = later["primary_score"] + 2
    second = st.mark_statistics(later, "region", max_score=MAX_SCORE).assign(year=2021)
    frame = st.dynamics(pd.concat([first, second]))
    assert frame.loc[frame["year"] == 2021, "mean_primary_score_change"].iloc[0] == pytest.approx(2.0)
    assert frame.loc[frame["year"] == 2021, "mean_score_pct_change"].iloc[0] == pytest.approx(10.0)


def test_benchmark_rates_given_once_give_the_same_frames_as_computed_per_level():
    data = hand_results(), hand_task_scores(), hand_tasks()
    rates = {level: st.task_solve_rates(*data, level, benchmarks=False) for level in ("region", "municipality")}
    for level in ("region", "municipality", "school", "class"):
        pd.testing.assert_frame_equal(st.task_solve_rates(*data, level, benchmark_rates=rates),
                                      st.task_solve_rates(*data, level))
