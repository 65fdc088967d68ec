"""The re-check sign for the analytics: schools whose marks the regional experts changed too often.

Rows follow the analytics sign format (one row per school): school_id, criterion, version, value,
threshold, sample_size, evaluated, flagged, p_value, explanation. Pure function, no ORM.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from rsoko.typography import number, signed

SIGN_COLUMNS = ["school_id", "criterion", "version", "value", "threshold", "sample_size", "evaluated", "flagged",
                "p_value", "explanation"]
SIGN_WORDING = "признаки необъективности, требующие дополнительного анализа"
CRITERION = "recheck_disagreement"
VERSION = 1


@dataclass(frozen=True)
class RecheckParams:
    min_works: int = 5  # checked works needed to evaluate a school
    changed_share_threshold: float = 20.0  # % of works whose mark the experts changed


def recheck_disagreement_sign(works: pd.DataFrame, params: RecheckParams = RecheckParams()) -> pd.DataFrame:
    """Flag a school when the experts changed the mark in at least the threshold share of its checked works
    and the school's scores were higher on average (marks inflated rather than a random spread).

    `works`: one row per checked work: school_id, school_primary, final_primary, school_mark, final_mark.
    value = % of works with a changed mark; p_value = one-sided sign test that the school's score is
    higher more often than lower (ties dropped), for information.
    """
    frame = works.dropna(subset=["final_primary"]).copy()
    frame["shift"] = frame["school_primary"] - frame["final_primary"]
    frame["changed"] = frame["school_mark"] != frame["final_mark"]
    grouped = frame.groupby("school_id").agg(
        n=("shift", "size"), changed=("changed", "sum"), mean_shift=("shift", "mean"),
        higher=("shift", lambda s: int((s > 0).sum())), lower=("shift", lambda s: int((s < 0).sum())),
    ).reset_index()
    rows = [_row(record, params) for record in grouped.itertuples(index=False)]
    return pd.DataFrame(rows, columns=SIGN_COLUMNS)


def _row(record, params: RecheckParams) -> dict:
    share = record.changed * 100.0 / record.n
    evaluated = record.n >= params.min_works
    flagged = bool(evaluated and share >= params.changed_share_threshold and record.mean_shift > 0)
    differing = record.higher + record.lower
    p_value = stats.binomtest(record.higher, differing, 0.5, alternative="greater").pvalue if differing else np.nan
    return {
        "school_id": record.school_id, "criterion": CRITERION, "version": VERSION, "value": share,
        "threshold": params.changed_share_threshold, "sample_size": int(record.n), "evaluated": evaluated,
        "flagged": flagged, "p_value": p_value if evaluated else np.nan,
        "explanation": _explanation(record, share, evaluated, flagged, params),
    }


def _explanation(record, share, evaluated, flagged, params) -> str:
    if not evaluated:
        return f"Не оценивалось: перепроверено работ {record.n} < {params.min_works}"
    facts = (f"при перепроверке изменена отметка в {number(share, 0)} % работ ({record.changed} из {record.n}), "
             f"средний сдвиг балла школы относительно экспертов {signed(record.mean_shift)}")
    if flagged:
        return (f"{facts.capitalize()} (порог {number(params.changed_share_threshold, 0)} %, баллы школы выше): "
                f"{SIGN_WORDING}.")
    return f"{facts.capitalize()}: признак не выявлен."
