"""Scores of a checked work: experts' disagreement, the final score, marks and the comparison with the school.

Pure functions over plain lists and pandas frames; the services feed them from the database.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Thresholds:
    task: int = 1  # per-task difference, points
    total: int = 2  # total difference, points
    experts: int = 2  # total difference between the two experts that calls a third


def mark_for(primary: float | None, boundaries: dict) -> int | None:
    """Mark by the scale's first scores, e.g. {"3": 6, "4": 10, "5": 15}; a fractional score is not rounded up."""
    if primary is None or not boundaries:
        return None
    mark = 2
    for name, first_score in sorted(boundaries.items(), key=lambda item: item[1]):
        if primary >= first_score:
            mark = int(name)
    return mark


def beyond(first: list, second: list, thresholds: Thresholds, total_threshold: int) -> bool:
    """Whether two score lists differ on any task by more than the task threshold, or in total by more
    than `total_threshold`."""
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    return bool(np.any(np.abs(a - b) > thresholds.task) or abs(a.sum() - b.sum()) > total_threshold)


def experts_disagree(first: list, second: list, thresholds: Thresholds) -> bool:
    return beyond(first, second, thresholds, thresholds.experts)


def final_scores(expert_scores: list[list], rule: str) -> list[float]:
    """The agreed per-task scores. Two experts: their mean. Three: by rule — «third» takes the third's
    scores; «mean» takes the mean of the two checks that agree best task by task (smallest sum of
    per-task differences; equal totals alone do not make two checks agree)."""
    scores = [np.asarray(s, dtype=float) for s in expert_scores]
    if len(scores) < 3:
        return [float(x) for x in np.mean(scores, axis=0)]
    if rule == "third":
        return [float(x) for x in scores[2]]
    pairs = [(float(np.abs(scores[i] - scores[j]).sum()), i, j) for i in range(3) for j in range(i + 1, 3)]
    _, i, j = min(pairs)
    return [float(x) for x in (scores[i] + scores[j]) / 2]


def school_results(works: pd.DataFrame) -> pd.DataFrame:
    """Per school: works drawn and checked, share with a changed mark, mean shift, direction.

    `works`: school_id, school_primary, final_primary (NaN until checked), school_mark, final_mark,
    discrepant. Shift = school's score − experts' final score: positive means the school scored higher.
    """
    checked = works[works["final_primary"].notna()].copy()
    checked["shift"] = checked["school_primary"] - checked["final_primary"]
    checked["changed"] = checked["school_mark"] != checked["final_mark"]
    per_school = checked.groupby("school_id").agg(
        checked=("shift", "size"), mean_shift=("shift", "mean"), changed=("changed", "sum"),
        higher=("shift", lambda s: int((s > 0).sum())), lower=("shift", lambda s: int((s < 0).sum())),
        discrepant=("discrepant", "sum"),
    )
    drawn = works.groupby("school_id").size().rename("drawn")
    result = pd.concat([drawn, per_school], axis=1).fillna({"checked": 0, "changed": 0, "higher": 0, "lower": 0,
                                                             "discrepant": 0})
    result["changed_share"] = np.where(result["checked"] > 0, result["changed"] * 100 / result["checked"].clip(lower=1),
                                       np.nan)
    result["direction"] = [direction_label(shift) for shift in result["mean_shift"]]
    return result.reset_index().rename(columns={"index": "school_id"})


def direction_label(mean_shift: float) -> str:
    if mean_shift is None or pd.isna(mean_shift):
        return "ещё не проверено"
    if mean_shift > 0:
        return "у школы выше"
    if mean_shift < 0:
        return "у школы ниже"
    return "совпадает"
