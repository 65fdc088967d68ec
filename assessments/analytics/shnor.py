"""Schools with low results (ШНОР) and the bank of schools with high results (DOMAIN §6).

Default rule (all of it configurable in ``ShnorRule``, a regional decision): a school is a ШНОР candidate
in a year when it is in the bottom 10 % of schools by mean % completion in at least two procedures of
that year, and this holds two years running; schools with signs of non-objective results in any of
those years are left out (and said so). The bank of high results is the mirror: the top 10 %.
Only procedures where the school has at least ``min_participants`` participants count.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ShnorRule:
    share: float = 0.10
    min_procedures: int = 2
    years_running: int = 2
    exclude_signs: bool = True
    min_participants: int = 10


def school_results(procedures) -> pd.DataFrame:
    """Per-school aggregates of several procedures: one row per (year, procedure, school).

    ``procedures``: iterable of (year, procedure_key, results, max_score) in the input contract.
    Columns: year, procedure, school_id, participants, mean_pct (mean primary score in % of max).
    """
    frames = []
    for year, key, results, max_score in procedures:
        pct = results["primary_score"].astype(float) * 100.0 / max_score
        agg = pct.groupby(results["school_id"]).agg(["count", "mean"]).reset_index()
        frames.append(pd.DataFrame({"year": year, "procedure": key, "school_id": agg["school_id"],
                                    "participants": agg["count"], "mean_pct": agg["mean"]}))
    return pd.concat(frames, ignore_index=True)


def _select(aggregates, rule, signs, context, year, low):
    data = aggregates[aggregates["participants"] >= rule.min_participants].copy()
    year = int(data["year"].max()) if year is None else year
    # position in the ordering from the tail: rank 1 = worst (low) or best (high)
    rank = data.groupby(["year", "procedure"])["mean_pct"].rank(method="min", ascending=low)
    count = data.groupby(["year", "procedure"])["mean_pct"].transform("size")
    data["in_tail"] = rank <= np.maximum(1, np.floor(rule.share * count + 1e-9))
    per_year = data.groupby(["school_id", "year"]).agg(
        procedures_evaluated=("in_tail", "size"), procedures_in_tail=("in_tail", "sum"), mean_pct=("mean_pct", "mean"))
    per_year["qualifies"] = per_year["procedures_in_tail"] >= rule.min_procedures
    years = list(range(year - rule.years_running + 1, year + 1))
    window = per_year.reset_index()
    window = window[window["year"].isin(years)]
    qualified_years = window[window["qualifies"]].groupby("school_id")["year"].nunique()
    current = window[window["year"] == year].set_index("school_id")
    out = current[["procedures_evaluated", "procedures_in_tail", "mean_pct"]].copy()
    out.insert(0, "year", year)
    out["years_qualified"] = qualified_years.reindex(out.index).fillna(0).astype(int)
    out["meets_rule"] = out["years_qualified"] >= rule.years_running
    flagged = set()
    if signs is not None and len(signs):
        flagged = set(signs.loc[signs["year"].isin(years), "school_id"])
    out["has_signs"] = out.index.isin(list(flagged))
    out["selected"] = out["meets_rule"] & ~(out["has_signs"] & rule.exclude_signs)
    out = out.reset_index()
    if context is not None:
        out = out.merge(context, on="school_id", how="left")
    out["reason"] = [_reason(row, rule, low) for row in out.itertuples()]
    return out.sort_values(["selected", "mean_pct"], ascending=[False, low]).reset_index(drop=True)


def _reason(row, rule, low):
    tail = "нижних" if low else "верхних"
    text = (f"В {tail} {rule.share * 100:.0f} % по {row.procedures_in_tail} из {row.procedures_evaluated} процедур; "
            f"условие выполнено в {row.years_qualified} из {rule.years_running} лет")
    if getattr(row, "difficult", False) is True:
        # read beside the context: a school in difficult social conditions needs support, not only control
        text += "; ОО в сложных социальных условиях"
    if row.meets_rule and row.has_signs and rule.exclude_signs:
        return text + "; исключена: есть признаки необъективности, требующие дополнительного анализа"
    return text


def low_results_schools(aggregates: pd.DataFrame, rule: ShnorRule = ShnorRule(), *, signs: pd.DataFrame | None = None,
                        context: pd.DataFrame | None = None, year: int | None = None) -> pd.DataFrame:
    """ШНОР for ``year`` (default: the last year in ``aggregates`` from ``school_results``).

    ``signs``: schools with objectivity signs, columns school_id and year; ``context``: per school columns
    to read the list against (e.g. settlement_type, size). One row per school evaluated in ``year``;
    ``selected`` marks the list, ``reason`` explains in Russian.
    """
    return _select(aggregates, rule, signs, context, year, low=True)


def high_results_schools(aggregates: pd.DataFrame, rule: ShnorRule = ShnorRule(), *, signs: pd.DataFrame | None = None,
                         context: pd.DataFrame | None = None, year: int | None = None) -> pd.DataFrame:
    """The bank of schools with high results: the mirror rule (top ``share``), same exclusions."""
    return _select(aggregates, rule, signs, context, year, low=False)
