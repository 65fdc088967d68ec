import numpy as np

from assessments.scoring import ScaleRule, compute_marks


def test_boundaries_give_marks_from_two_to_five():
    rule = ScaleRule(boundaries={"3": 6, "4": 10, "5": 15})
    primary = np.array([0, 5, 6, 9, 10, 14, 15, 20])
    marks = compute_marks(primary, np.zeros((8, 1)), ["1"], rule).mark
    assert marks.tolist() == [2, 2, 3, 3, 4, 4, 5, 5]


def test_condition_on_named_tasks_lowers_the_mark():
    # ОГЭ-like: «3» and above need ≥ 2 points from tasks «3» and «4»
    rule = ScaleRule(boundaries={"3": 2, "4": 4}, conditions=[{"marks": ["3", "4"], "tasks": ["3", "4"], "min_points": 2}])
    scores = np.array([[2, 2, 0, 0], [1, 1, 1, 1], [0, 0, 2, 0]])
    marks = compute_marks(scores.sum(axis=1), scores, ["1", "2", "3", "4"], rule).mark
    assert marks.tolist() == [2, 4, 3]


def test_test_scores_and_minimum_decide_passing():
    rule = ScaleRule(test_scores=[0, 10, 20, 30, 40], minimum_test_score=25)
    result = compute_marks(np.array([1, 3, 9]), np.zeros((3, 1)), ["1"], rule)
    assert result.test_score.tolist() == [10, 30, 40] and result.passed.tolist() == [0, 1, 1]


def test_pass_score_for_pass_fail_procedures():
    result = compute_marks(np.array([4, 5, 7]), np.zeros((3, 1)), ["1"], ScaleRule(pass_score=5))
    assert result.passed.tolist() == [0, 1, 1] and np.isnan(result.mark).all()


def test_no_scale_means_no_marks():
    assert np.isnan(compute_marks(np.array([3]), np.zeros((1, 1)), ["1"], None).mark).all()
