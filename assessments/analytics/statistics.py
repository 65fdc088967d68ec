"""Statistics of one procedure at region, municipality, school and class level (ФИС ОКО forms 2–7).

Every function returns a tidy frame: the group keys (``level``, ``municipality_id``, ``school_id``,
``class_name``), the figures, and sample-size flags: ``group_informative`` (≥ 10 participants),
``histogram_informative`` (≥ 50) and a Russian ``warning`` ("" when the group is large enough).
Percentages are 0–100 floats; a percentage of an empty base is NaN.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .groups import KEY_COLUMNS, Grouping, group_by_level

MARKS = (2, 3, 4, 5)


@dataclass(frozen=True)
class SampleRules:
    """Sample-size rules of ФИС ОКО: a histogram is informative from 50 pupils, group analysis from 10."""

    histogram_min: int = 50
    group_min: int = 10


@dataclass(frozen=True)
class AchievementThresholds:
    """Thresholds of achievement of planned results, in % of the maximum.

    A result inside the uncertainty zone [low, high] cannot be told from the threshold: «uncertain».
    """

    basic: float = 60.0
    basic_zone: tuple[float, float] = (57.0, 63.0)
    advanced: float = 30.0
    advanced_zone: tuple[float, float] = (28.5, 31.5)

    def for_level(self, task_level: str) -> tuple[float, float, float]:
        """(threshold, zone low, zone high) for a task level «Б» / «П» / «В»."""
        if task_level == "Б":
            return (self.basic, *self.basic_zone)
        return (self.advanced, *self.advanced_zone)


ACHIEVED, UNCERTAIN, NOT_ACHIEVED = "achieved", "uncertain", "not_achieved"
STATUS_LABELS = {ACHIEVED: "достигнуто", UNCERTAIN: "зона неопределённости", NOT_ACHIEVED: "не достигнуто"}


def score_to_mark(scores, boundaries: dict) -> np.ndarray:
    """Mark 2–5 for primary scores by the scale's first scores {"3": 6, "4": 10, "5": 15}."""
    scores = np.asarray(scores, dtype=float)
    marks = np.full(scores.shape, 2.0)
    for mark, first in boundaries.items():
        marks = np.where(scores >= float(first), np.maximum(marks, float(mark)), marks)
    return np.where(np.isnan(scores), np.nan, marks)


def sample_flags(participants, rules: SampleRules = SampleRules()) -> pd.DataFrame:
    """The three sample-size columns for an array of group sizes."""
    participants = np.asarray(participants)
    group_ok = participants >= rules.group_min
    hist_ok = participants >= rules.histogram_min
    warning = np.full(participants.shape, "", dtype=object)
    warning[~hist_ok] = f"Менее {rules.histogram_min} участников: распределение баллов неинформативно"
    warning[~group_ok] = f"Менее {rules.group_min} участников: результаты группы неинформативны"
    return pd.DataFrame({"group_informative": group_ok, "histogram_informative": hist_ok, "warning": warning})


def _percent(part, whole) -> np.ndarray:
    part = np.asarray(part, dtype=float)
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part * 100.0 / np.where(whole > 0, whole, 1), np.nan)


def _assemble(grouping: Grouping, columns: dict, participants, rules: SampleRules) -> pd.DataFrame:
    figures = pd.DataFrame(columns)
    flags = sample_flags(participants, rules)
    return pd.concat([grouping.keys.reset_index(drop=True), figures, flags], axis=1)


def mark_statistics(results: pd.DataFrame, level: str, *, max_score: int | None = None,
                    rules: SampleRules = SampleRules()) -> pd.DataFrame:
    """Form 2: counts and % of «2»–«5», success (% «3»–«5»), quality (% «4»–«5»), mean primary score.

    Percentages of marks are taken over participants with a mark (``marked``); ``mean_score_pct`` (mean
    primary score in % of ``max_score``) is filled when ``max_score`` is given.
    """
    grouping = group_by_level(results, level)
    participants = grouping.counts()
    marks = results["mark"].to_numpy(dtype=float)
    counts = {m: grouping.sums(marks == m) for m in MARKS}
    marked = sum(counts.values())
    columns = {"participants": participants, "marked": marked.astype(int)}
    for m in MARKS:
        columns[f"count_{m}"] = counts[m].astype(int)
    for m in MARKS:
        columns[f"pct_{m}"] = _percent(counts[m], marked)
    columns["success_pct"] = _percent(counts[3] + counts[4] + counts[5], marked)
    columns["quality_pct"] = _percent(counts[4] + counts[5], marked)
    scores = results["primary_score"].to_numpy(dtype=float)
    scored = grouping.sums(~np.isnan(scores))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(scored > 0, grouping.sums(scores) / np.where(scored > 0, scored, 1), np.nan)
    columns["mean_primary_score"] = mean
    columns["mean_score_pct"] = mean * 100.0 / max_score if max_score else np.full(grouping.size, np.nan)
    return _assemble(grouping, columns, participants, rules)


def journal_comparison(results: pd.DataFrame, level: str, *, rules: SampleRules = SampleRules()) -> pd.DataFrame:
    """Form 3: ВПР mark against the journal mark: понизили (<), подтвердили (=), повысили (>).

    Percentages are over ``compared`` — pupils with both a journal mark and a ВПР mark; pupils without
    a journal mark are counted in ``without_journal_mark`` and left out of the percentages.
    """
    grouping = group_by_level(results, level)
    participants = grouping.counts()
    journal = results["journal_mark"].to_numpy(dtype=float)
    mark = results["mark"].to_numpy(dtype=float)
    both = ~np.isnan(journal) & ~np.isnan(mark)
    lowered = grouping.sums(both & (mark < journal))
    confirmed = grouping.sums(both & (mark == journal))
    raised = grouping.sums(both & (mark > journal))
    compared = grouping.sums(both)
    columns = {
        "participants": participants,
        "compared": compared.astype(int),
        "without_journal_mark": grouping.sums(np.isnan(journal)).astype(int),
        "lowered": lowered.astype(int),
        "confirmed": confirmed.astype(int),
        "raised": raised.astype(int),
        "lowered_pct": _percent(lowered, compared),
        "confirmed_pct": _percent(confirmed, compared),
        "raised_pct": _percent(raised, compared),
    }
    return _assemble(grouping, columns, compared, rules)


def score_distribution(results: pd.DataFrame, level: str, *, max_score: int, boundaries: dict,
                       rules: SampleRules = SampleRules()) -> pd.DataFrame:
    """Form 4: % of participants at each primary score 0…max, one row per (group, score).

    ``mark`` is the mark a score earns and ``boundary_of`` names the mark whose first score it is (the
    lines drawn on the histogram); scores outside 0…max are clipped into the range.
    """
    grouping = group_by_level(results, level)
    participants = grouping.counts()
    width = max_score + 1
    scores = np.clip(np.nan_to_num(results["primary_score"].to_numpy(dtype=float)), 0, max_score).astype(np.int64)
    counts = np.bincount(grouping.codes * width + scores, minlength=grouping.size * width).reshape(grouping.size, width)
    score_axis = np.arange(width)
    first_scores = {int(v): str(k) for k, v in boundaries.items()}
    keys = grouping.keys.loc[np.repeat(np.arange(grouping.size), width)].reset_index(drop=True)
    figures = pd.DataFrame({
        "score": np.tile(score_axis, grouping.size),
        "count": counts.ravel(),
        "pct": _percent(counts, participants[:, None]).ravel(),
        "mark": np.tile(score_to_mark(score_axis, boundaries), grouping.size).astype(int),
        "boundary_of": np.tile([first_scores.get(int(s), "") for s in score_axis], grouping.size),
        "participants": np.repeat(participants, width),
    })
    flags = sample_flags(figures["participants"].to_numpy(), rules)
    return pd.concat([keys, figures, flags], axis=1)


def _task_columns(tasks: pd.DataFrame, groups: int) -> dict:
    return {
        "position": np.tile(tasks["position"].to_numpy(), groups),
        "label": np.tile(tasks["label"].astype(str).to_numpy(), groups),
        "task_level": np.tile(tasks["level"].astype(str).to_numpy(), groups),
        "task_max_score": np.tile(tasks["max_score"].to_numpy(), groups),
    }


def task_solve_rates(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame, level: str, *,
                     benchmarks: bool = True, rules: SampleRules = SampleRules(),
                     benchmark_rates: dict | None = None) -> pd.DataFrame:
    """Form 5: solve rate (% of the task's max) of every task per group, one row per (group, task).

    With ``benchmarks`` the region's (``region_solve_pct``) and the municipality's
    (``municipality_solve_pct``) rate of the same task stand alongside; ``benchmark_rates`` gives those two
    levels' rates (computed without benchmarks) when the caller computes every level of the same data.
    """
    _check_tasks(results, task_scores, tasks)
    grouping = group_by_level(results, level)
    participants = grouping.counts()
    points = grouping.matrix_sums(task_scores)
    max_scores = tasks["max_score"].to_numpy(dtype=float)
    n_tasks = len(tasks)
    keys = grouping.keys.loc[np.repeat(np.arange(grouping.size), n_tasks)].reset_index(drop=True)
    figures = pd.DataFrame({
        **_task_columns(tasks, grouping.size),
        "points": points.ravel(),
        "solve_pct": _percent(points, participants[:, None] * max_scores[None, :]).ravel(),
        "participants": np.repeat(participants, n_tasks),
    })
    frame = pd.concat([keys, figures, sample_flags(figures["participants"].to_numpy(), rules)], axis=1)
    if benchmarks:
        frame = _add_benchmarks(frame, results, task_scores, tasks, level, benchmark_rates or {})
    return frame


def _add_benchmarks(frame, results, task_scores, tasks, level, rates: dict):
    def at(name):
        return rates[name] if name in rates else task_solve_rates(results, task_scores, tasks, name, benchmarks=False)

    region = at("region")
    frame = frame.merge(region[["position", "solve_pct"]].rename(columns={"solve_pct": "region_solve_pct"}),
                        on="position", how="left")
    if level == "region":
        frame["municipality_solve_pct"] = np.nan
        return frame
    municipal = at("municipality")[["municipality_id", "position", "solve_pct"]].rename(
        columns={"solve_pct": "municipality_solve_pct"})
    return frame.merge(municipal, on=["municipality_id", "position"], how="left")


def achievement_status(pct, task_levels, thresholds: AchievementThresholds = AchievementThresholds()):
    """(threshold, sufficient, status) arrays for percentages and task levels «Б»/«П»/«В»."""
    pct = np.asarray(pct, dtype=float)
    basic = np.asarray(task_levels).astype(str) == "Б"
    threshold = np.where(basic, thresholds.basic, thresholds.advanced)
    low = np.where(basic, thresholds.basic_zone[0], thresholds.advanced_zone[0])
    high = np.where(basic, thresholds.basic_zone[1], thresholds.advanced_zone[1])
    status = np.where(pct > high, ACHIEVED, np.where(pct < low, NOT_ACHIEVED, UNCERTAIN))
    status = np.where(np.isnan(pct), "", status)
    return threshold, pct >= threshold, status


def planned_results(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame, level: str, *,
                    by: str = "skill", thresholds: AchievementThresholds = AchievementThresholds(),
                    rules: SampleRules = SampleRules()) -> pd.DataFrame:
    """Form 6: achievement of planned results per skill (``by="skill"``) or ПООП block (``by="block"``)
    and task level, in % of the maximum points of those tasks.

    ``status`` is achieved (above the uncertainty zone), uncertain (inside it, bounds included) or
    not_achieved (below it); ``sufficient`` compares with the threshold itself (≥ 60 % / ≥ 30 %).
    Tasks with an empty skill/block are left out.
    """
    if by not in ("skill", "block"):
        raise ValueError("by должен быть 'skill' или 'block'")
    _check_tasks(results, task_scores, tasks)
    item = tasks[by].fillna("").astype(str).str.strip().to_numpy()
    task_level = tasks["level"].fillna("").astype(str).to_numpy()
    keep = item != ""
    pairs = pd.DataFrame({"item": item[keep], "task_level": task_level[keep]})
    unique = pairs.drop_duplicates().reset_index(drop=True)
    grouping = group_by_level(results, level)
    participants = grouping.counts()
    if unique.empty:
        return pd.DataFrame()
    index = pairs.merge(unique.reset_index(), on=["item", "task_level"], how="left")["index"].to_numpy()
    indicator = np.zeros((len(tasks), len(unique)))
    indicator[np.flatnonzero(keep), index] = 1.0
    points = grouping.matrix_sums(task_scores) @ indicator
    max_points = (tasks["max_score"].to_numpy(dtype=float) @ indicator)[None, :] * participants[:, None]
    pct = _percent(points, max_points).ravel()
    levels = np.tile(unique["task_level"].to_numpy(), grouping.size)
    threshold, sufficient, status = achievement_status(pct, levels, thresholds)
    keys = grouping.keys.loc[np.repeat(np.arange(grouping.size), len(unique))].reset_index(drop=True)
    figures = pd.DataFrame({
        "by": by,
        "item": np.tile(unique["item"].to_numpy(), grouping.size),
        "task_level": levels,
        "tasks": np.tile(indicator.sum(axis=0).astype(int), grouping.size),
        "achievement_pct": pct,
        "threshold": threshold,
        "sufficient": sufficient,
        "status": status,
        "participants": np.repeat(participants, len(unique)),
    })
    return pd.concat([keys, figures, sample_flags(figures["participants"].to_numpy(), rules)], axis=1)


def task_solve_rates_by_mark(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame, level: str, *,
                             rules: SampleRules = SampleRules()) -> pd.DataFrame:
    """Form 7: solve rate of every task within each mark group «2»…«5» of each group.

    One row per (group, mark, task); ``participants`` is the size of the mark group, and the sample
    flags apply to it. Participants without a mark are left out.
    """
    _check_tasks(results, task_scores, tasks)
    grouping = group_by_level(results, level)
    marks = results["mark"].to_numpy(dtype=float)
    has_mark = np.isin(marks, MARKS)
    sub_codes = grouping.codes[has_mark] * 4 + (marks[has_mark].astype(np.int64) - 2)
    combined = Grouping(level=level, codes=sub_codes, keys=pd.DataFrame(index=range(grouping.size * 4)))
    participants = combined.counts()
    points = combined.matrix_sums(task_scores[has_mark])
    max_scores = tasks["max_score"].to_numpy(dtype=float)
    n_tasks = len(tasks)
    rows = grouping.size * 4
    keys = grouping.keys.loc[np.repeat(np.arange(grouping.size), 4 * n_tasks)].reset_index(drop=True)
    figures = pd.DataFrame({
        "mark": np.tile(np.repeat(np.array(MARKS), n_tasks), grouping.size),
        **_task_columns(tasks, rows),
        "points": points.ravel(),
        "solve_pct": _percent(points, participants[:, None] * max_scores[None, :]).ravel(),
        "participants": np.repeat(participants, n_tasks),
    })
    return pd.concat([keys, figures, sample_flags(figures["participants"].to_numpy(), rules)], axis=1)


def individual_results(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame) -> pd.DataFrame:
    """Form 1 (school level only): one row per participant, codes only, with the score of every task
    in columns ``task_<position>``. Call it with one school's rows; pupils are never named."""
    _check_tasks(results, task_scores, tasks)
    columns = [c for c in ("school_id", "class_name", "participant_code", "sex", "journal_mark", "primary_score",
                           "mark") if c in results]
    frame = results[columns].reset_index(drop=True)
    scores = pd.DataFrame(np.asarray(task_scores), columns=[f"task_{p}" for p in tasks["position"]])
    return pd.concat([frame, scores], axis=1)


DYNAMICS_METRICS = ("participants", "success_pct", "quality_pct", "mean_score_pct", "mean_primary_score")


def dynamics(yearly: pd.DataFrame, *, metrics=DYNAMICS_METRICS) -> pd.DataFrame:
    """Dynamics across years of one kind, subject and grade.

    ``yearly`` is the concatenation of ``mark_statistics`` frames with a ``year`` column; each row gains
    ``previous_year`` and ``<metric>_change`` (this year minus the group's previous available year).
    """
    keys = ["level", *KEY_COLUMNS]
    frame = yearly.sort_values([*keys, "year"], na_position="first").reset_index(drop=True)
    grouped = frame.groupby(keys, dropna=False, sort=False)
    frame["previous_year"] = grouped["year"].shift(1)
    for metric in metrics:
        if metric in frame:
            frame[f"{metric}_change"] = frame[metric] - grouped[metric].shift(1)
    return frame


def _check_tasks(results, task_scores, tasks):
    if task_scores.shape != (len(results), len(tasks)):
        raise ValueError(
            f"Матрица баллов {task_scores.shape} не совпадает с участниками ({len(results)}) и заданиями ({len(tasks)})"
        )
