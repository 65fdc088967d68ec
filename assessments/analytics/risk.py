"""Risk groups (pupils below the basic level, codes only) and subject deficits (DOMAIN §6).

Below the basic level — precisely: a pupil whose ВПР mark is «2», or who earned less than
``RiskRule.basic_share_pct`` (default 60 %, the threshold of basic-level tasks in form 6) of the points
of the basic-level tasks (level «Б»). Pupils of pass/fail procedures (no mark) are judged by the second
condition only; a procedure without basic-level tasks by the first only.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .groups import group_by_level
from .statistics import (NOT_ACHIEVED, UNCERTAIN, AchievementThresholds, achievement_status, planned_results,
                         task_solve_rates)


@dataclass(frozen=True)
class RiskRule:
    basic_share_pct: float = 60.0
    include_mark_2: bool = True


def basic_share(task_scores: np.ndarray, tasks: pd.DataFrame) -> np.ndarray:
    """Per pupil: points on basic-level tasks in % of their maximum (NaN without basic tasks)."""
    basic = tasks["level"].astype(str).to_numpy() == "Б"
    max_points = tasks["max_score"].to_numpy(dtype=float)[basic].sum()
    if max_points == 0:
        return np.full(task_scores.shape[0], np.nan)
    return task_scores[:, basic].sum(axis=1) * 100.0 / max_points


def risk_flags(results, task_scores, tasks, rule: RiskRule = RiskRule()):
    """(at_risk, low_mark, low_basic, basic_pct) arrays, one value per participant."""
    share = basic_share(task_scores, tasks)
    low_mark = (results["mark"].to_numpy(dtype=float) == 2) if rule.include_mark_2 else np.zeros(len(results), bool)
    low_basic = ~np.isnan(share) & (share < rule.basic_share_pct)
    return low_mark | low_basic, low_mark, low_basic, share


def risk_group_pupils(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame,
                      rule: RiskRule = RiskRule()) -> pd.DataFrame:
    """The risk group: one row per pupil below the basic level (codes only), with the reason."""
    at_risk, low_mark, low_basic, share = risk_flags(results, task_scores, tasks, rule)
    reason = np.where(low_mark & low_basic, "отметка «2»; базовые задания ниже порога",
                      np.where(low_mark, "отметка «2»", "базовые задания ниже порога"))
    columns = ["municipality_id", "school_id", "class_name", "participant_code", "mark", "primary_score"]
    out = results.loc[at_risk, [c for c in columns if c in results]].copy()
    out["basic_pct"] = share[at_risk]
    out["reason"] = reason[at_risk]
    return out.sort_values(["school_id", "class_name"]).reset_index(drop=True)


def risk_group_counts(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame, level: str = "class",
                      rule: RiskRule = RiskRule()) -> pd.DataFrame:
    """Pupils below the basic level per group (class by default): counts and % of participants."""
    at_risk = risk_flags(results, task_scores, tasks, rule)[0]
    grouping = group_by_level(results, level)
    participants = grouping.counts()
    count = grouping.sums(at_risk).astype(int)
    out = grouping.keys.copy()
    out["participants"] = participants
    out["at_risk"] = count
    out["at_risk_pct"] = np.where(participants > 0, count * 100.0 / np.maximum(participants, 1), np.nan)
    return out


def task_deficits(results, task_scores, tasks, level: str = "school",
                  thresholds: AchievementThresholds = AchievementThresholds(), *, benchmarks: bool = True) -> pd.DataFrame:
    """Tasks whose solve rate is below the level's threshold zone (not achieved) or inside it (uncertain);
    ``benchmarks=False`` leaves out the region's and municipality's rates (a caller that does not keep them)."""
    rates = task_solve_rates(results, task_scores, tasks, level, benchmarks=benchmarks)
    threshold, _, status = achievement_status(rates["solve_pct"].to_numpy(), rates["task_level"].to_numpy(),
                                              thresholds)
    rates["threshold"] = threshold
    rates["status"] = status
    return rates[rates["status"].isin([NOT_ACHIEVED, UNCERTAIN])].reset_index(drop=True)


def skill_deficits(results, task_scores, tasks, level: str = "school", by: str = "skill",
                   thresholds: AchievementThresholds = AchievementThresholds()) -> pd.DataFrame:
    """Skills (or ПООП blocks) with achievement not achieved or in the uncertainty zone."""
    planned = planned_results(results, task_scores, tasks, level, by=by, thresholds=thresholds)
    if planned.empty:
        return planned
    return planned[planned["status"].isin([NOT_ACHIEVED, UNCERTAIN])].reset_index(drop=True)
