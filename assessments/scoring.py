"""Primary score → mark, test score and pass, from a procedure's scale. Pure functions over numpy arrays.

A scale (see assessments.models.Scale) has:
- boundaries: the first primary score of each mark, {"3": 6, "4": 10, "5": 15};
- conditions: extra requirements, [{"marks": ["3", "4", "5"], "tasks": ["16", "17"], "min_points": 2}]
  (ОГЭ математика: «3» and above need ≥ 2 points from the geometry tasks); a pupil who misses a condition
  gets the mark just below the lowest listed one;
- test_scores: ЕГЭ primary → test score, indexed by primary score; minimum_test_score: the threshold;
- pass_score: the first primary score counted as «зачёт» (итоговое сочинение, собеседование).
"""
from dataclasses import dataclass, field

import numpy as np


@dataclass
class ScaleRule:
    boundaries: dict = field(default_factory=dict)
    conditions: list = field(default_factory=list)
    test_scores: list = field(default_factory=list)
    minimum_test_score: int | None = None
    pass_score: int | None = None


@dataclass
class Marks:
    mark: np.ndarray  # float with NaN where no mark applies
    test_score: np.ndarray
    passed: np.ndarray  # float 1/0, NaN where the scale says nothing


def marks_from_boundaries(primary: np.ndarray, boundaries: dict) -> np.ndarray:
    """The lowest mark is one below the first boundary («2» when boundaries start at «3»)."""
    if not boundaries:
        return np.full(len(primary), np.nan)
    ordered = sorted((int(mark), int(first)) for mark, first in boundaries.items())
    marks = np.array([m for m, _ in ordered])
    firsts = np.array([f for _, f in ordered])
    steps = np.searchsorted(firsts, primary, side="right")
    lowest = marks[0] - 1
    return np.where(steps == 0, lowest, marks[np.maximum(steps - 1, 0)]).astype(float)


def task_columns(labels: list[str], wanted: list) -> list[int]:
    """Condition tasks are named as printed («16», «9.1»); a plain number not among labels is a position."""
    indices = []
    for name in wanted:
        name = str(name)
        if name in labels:
            indices.append(labels.index(name))
        elif name.isdigit() and 1 <= int(name) <= len(labels):
            indices.append(int(name) - 1)
    return indices


def apply_conditions(mark: np.ndarray, scores: np.ndarray, labels: list[str], conditions: list) -> np.ndarray:
    mark = mark.copy()
    for condition in conditions or []:
        listed = sorted(int(m) for m in condition.get("marks", []))
        columns = task_columns(labels, condition.get("tasks", []))
        if not listed or not columns:
            continue
        points = scores[:, columns].sum(axis=1)
        failing = np.isin(mark, listed) & (points < int(condition.get("min_points", 0)))
        mark[failing] = listed[0] - 1
    return mark


def test_scores_for(primary: np.ndarray, table: list) -> np.ndarray:
    if not table:
        return np.full(len(primary), np.nan)
    lookup = np.array(table, dtype=float)
    return lookup[np.clip(primary, 0, len(lookup) - 1)]


def compute_marks(primary: np.ndarray, scores: np.ndarray, labels: list[str], rule: ScaleRule | None) -> Marks:
    """Marks for present participants (primary: int array; scores: participants × tasks)."""
    primary = np.asarray(primary, dtype=np.int64)
    nothing = np.full(len(primary), np.nan)
    if rule is None:
        return Marks(nothing, nothing.copy(), nothing.copy())
    mark = apply_conditions(marks_from_boundaries(primary, rule.boundaries), scores, labels, rule.conditions)
    test = test_scores_for(primary, rule.test_scores)
    passed = nothing.copy()
    if rule.pass_score is not None:
        passed = (primary >= rule.pass_score).astype(float)
    elif rule.minimum_test_score is not None and rule.test_scores:
        passed = (test >= rule.minimum_test_score).astype(float)
    return Marks(mark, test, passed)
