"""Context of schools: difficult social conditions and groups of comparable schools. Pure functions over pandas.

A school is in difficult social conditions when the ministry lists it, or when it meets at least
``min_criteria`` of the criteria on its context fields (rural, small, a large share of pupils with
Russian as a second language, a large share of pupils from low-income families). Comparable groups are
k-means clusters over the standardised context (size on a log scale), so a school is compared with
schools like it rather than with the whole region; the seed is fixed, so the groups are reproducible.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.vq import kmeans2

CONTEXT_COLUMNS = ["school_id", "rural", "pupils", "russian_second_share", "low_income_share", "listed"]


@dataclass(frozen=True)
class DifficultyRule:
    max_pupils: int = 150
    russian_second_share: float = 20.0
    low_income_share: float = 30.0
    rural_counts: bool = True
    # Three, not two: in a real region a rural school is nearly always a small one, so two criteria would flag
    # every small village school (half the demo region) whatever its pupils' circumstances; with three, a village
    # school counts when one social criterion (language, low income) comes on top — about 10–20 % of schools.
    min_criteria: int = 3


def difficult_conditions(frame: pd.DataFrame, rule: DifficultyRule = DifficultyRule()) -> pd.DataFrame:
    """Per school: `difficult` and `reasons` (Russian). A missing figure never counts as a criterion met."""
    if frame.empty:
        return pd.DataFrame(columns=["school_id", "difficult", "reasons"])
    checks = [
        (frame["rural"].fillna(False).astype(bool) & rule.rural_counts, "сельская школа"),
        (frame["pupils"].le(rule.max_pupils).fillna(False), f"не более {rule.max_pupils} обучающихся"),
        (frame["russian_second_share"].ge(rule.russian_second_share).fillna(False),
         f"русский язык не родной у {rule.russian_second_share:g} % и более"),
        (frame["low_income_share"].ge(rule.low_income_share).fillna(False),
         f"из малообеспеченных семей {rule.low_income_share:g} % и более"),
    ]
    met = pd.concat([c.astype(int) for c, _ in checks], axis=1).sum(axis=1)
    listed = frame["listed"].fillna(False).astype(bool)
    reasons = []
    for position in range(len(frame)):
        parts = [text for condition, text in checks if bool(condition.iloc[position])]
        if listed.iloc[position]:
            parts.insert(0, "в перечне министерства")
        reasons.append("; ".join(parts))
    return pd.DataFrame({"school_id": frame["school_id"].to_numpy(),
                         "difficult": (listed | (met >= rule.min_criteria)).to_numpy(), "reasons": reasons})


def features(frame: pd.DataFrame) -> np.ndarray:
    """Standardised context; a missing figure takes the region's median."""
    data = pd.DataFrame({
        "rural": frame["rural"].fillna(False).astype(float),
        "size": np.log1p(frame["pupils"].astype(float)),
        "russian": frame["russian_second_share"].astype(float),
        "low_income": frame["low_income_share"].astype(float),
    })
    data = data.fillna(data.median()).fillna(0.0)
    spread = data.std(ddof=0).replace(0, 1.0)
    return ((data - data.mean()) / spread).to_numpy()


def comparable_groups(frame: pd.DataFrame, groups: int = 5, seed: int = 20) -> pd.Series:
    """Group number (1…k) per school, groups numbered from the smallest mean size up (stable names)."""
    if frame.empty:
        return pd.Series(dtype=int)
    k = max(1, min(groups, len(frame) // 3 or 1))
    matrix = features(frame)
    if k == 1:
        labels = np.zeros(len(frame), dtype=int)
    else:
        _, labels = kmeans2(matrix, k, seed=np.random.default_rng(seed), minit="++")
    order = pd.Series(frame["pupils"].astype(float).to_numpy()).groupby(labels).mean().sort_values()
    renumber = {label: number for number, label in enumerate(order.index, start=1)}
    return pd.Series([renumber[label] for label in labels], index=frame["school_id"].to_numpy())
