"""The effect of a management decision: difference in differences against comparable units not concerned.

Pure functions over pandas, no ORM. A unit (a school or a municipality) has an indicator value before
and after the decision. The effect is the mean change of the units the decision concerns minus the
mean change of the comparable units it does not concern; "comparable" means their value before lies
within the range of the concerned units' values before (common support), so a decision about weak
schools is not credited with what weak schools do anyway by regressing to the mean of strong ones.
The uncertainty is Welch's: standard error of the two means' difference, its t interval and p-value.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

MIN_UNITS = 2


@dataclass(frozen=True)
class Estimate:
    treated_n: int
    control_n: int
    treated_before: float
    treated_after: float
    control_before: float
    control_after: float
    did: float  # change of the concerned minus change of the comparable units, in the indicator's units
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    common_support: bool  # False: too few comparable units, all units not concerned were used

    @property
    def significant(self) -> bool:
        return self.ci_low > 0 or self.ci_high < 0


def comparable(frame: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Units not concerned whose value before is within the concerned units' range; all of them if too few."""
    treated = frame[frame["treated"]]
    others = frame[~frame["treated"]]
    low, high = treated["before"].min(), treated["before"].max()
    within = others[(others["before"] >= low) & (others["before"] <= high)]
    return (within, True) if len(within) >= MIN_UNITS else (others, False)


def difference_in_differences(frame: pd.DataFrame, confidence: float = 0.95) -> Estimate | None:
    """`frame`: one row per unit with `treated` (bool), `before`, `after`. None when either group is too small."""
    data = frame.dropna(subset=["before", "after"])
    treated = data[data["treated"]]
    if len(treated) < MIN_UNITS:
        return None
    control, support = comparable(data)
    if len(control) < MIN_UNITS:
        return None
    change_t = (treated["after"] - treated["before"]).to_numpy(float)
    change_c = (control["after"] - control["before"]).to_numpy(float)
    var_t, var_c = change_t.var(ddof=1) / len(change_t), change_c.var(ddof=1) / len(change_c)
    se = float(np.sqrt(var_t + var_c))
    did = float(change_t.mean() - change_c.mean())
    if se == 0:
        ci_low = ci_high = did
        p_value = 0.0 if did != 0 else 1.0
    else:
        # Welch–Satterthwaite degrees of freedom
        df = (var_t + var_c) ** 2 / (var_t ** 2 / (len(change_t) - 1) + var_c ** 2 / (len(change_c) - 1)) \
            if var_t + var_c > 0 else len(change_t) + len(change_c) - 2
        margin = stats.t.ppf(0.5 + confidence / 2, df) * se
        ci_low, ci_high = did - margin, did + margin
        p_value = float(2 * stats.t.sf(abs(did) / se, df))
    return Estimate(
        treated_n=len(treated), control_n=len(control),
        treated_before=float(treated["before"].mean()), treated_after=float(treated["after"].mean()),
        control_before=float(control["before"].mean()), control_after=float(control["after"].mean()),
        did=did, se=se, ci_low=float(ci_low), ci_high=float(ci_high), p_value=p_value, common_support=support,
    )
