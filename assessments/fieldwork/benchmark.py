"""Region figures with and without the controlled sample (schools written under control).

The controlled sample is the objective benchmark: when the region's figures over all schools run well
above those of the controlled schools, the gap itself calls for further analysis. Pure function.
"""
import numpy as np
import pandas as pd


def figures(frame: pd.DataFrame) -> dict:
    """Participants, schools, mean primary score, % «2», success (% «3»–«5») and quality (% «4»–«5»)."""
    marks = frame["mark"].dropna()
    count = len(frame)

    def percent(mask) -> float | None:
        return round(float(mask.sum()) * 100 / len(marks), 1) if len(marks) else None

    return {
        "participants": count,
        "schools": int(frame["school_id"].nunique()),
        "mean_primary": round(float(frame["primary_score"].mean()), 2) if count else None,
        "share_2": percent(marks == 2),
        "success": percent(marks >= 3),
        "quality": percent(marks >= 4),
    }


def with_and_without_controlled(results: pd.DataFrame) -> dict:
    """`results`: school_id, primary_score, mark, controlled (bool), present participants of one procedure.

    Returns figures for all schools, the controlled sample only and the rest.
    """
    controlled = results["controlled"].astype(bool).to_numpy() if len(results) else np.array([], dtype=bool)
    return {
        "all": figures(results),
        "controlled": figures(results[controlled]),
        "uncontrolled": figures(results[~controlled]),
    }
