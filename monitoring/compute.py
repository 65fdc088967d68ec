"""Pure computations of the built-in indicators: DataFrames in, one DataFrame of values out.

Every function returns the columns of `VALUE_COLUMNS`: one row per group (the region, a municipality,
a school) with the numerator and denominator the value was computed from, so a reader can check it.
Inputs are per-school frames (`school_id`, `municipality_id`, …) read from the precomputed tables by
`monitoring.sources`; no ORM here.
"""
import numpy as np
import pandas as pd

VALUE_COLUMNS = ["level", "municipality_id", "school_id", "numerator", "denominator", "value"]
ALL_LEVELS = ("region", "municipality", "school")
AREA_LEVELS = ("region", "municipality")


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=VALUE_COLUMNS)


def ratio_by_level(frame: pd.DataFrame, numerator: str, denominator: str, levels=ALL_LEVELS,
                   scale: float = 100.0) -> pd.DataFrame:
    """Sums numerator and denominator over the schools of each group; value = scale·Σnum/Σden."""
    if frame is None or frame.empty:
        return empty()
    data = frame[["school_id", "municipality_id", numerator, denominator]].rename(
        columns={numerator: "numerator", denominator: "denominator"})
    data = data.astype({"numerator": float, "denominator": float})
    parts = []
    if "region" in levels:
        sums = data[["numerator", "denominator"]].sum()
        parts.append(pd.DataFrame([{"level": "region", "municipality_id": None, "school_id": None,
                                    "numerator": sums["numerator"], "denominator": sums["denominator"]}]))
    if "municipality" in levels:
        by = data.dropna(subset=["municipality_id"]).groupby("municipality_id", as_index=False)[
            ["numerator", "denominator"]].sum()
        parts.append(by.assign(level="municipality", school_id=None))
    if "school" in levels:
        by = data.groupby(["school_id", "municipality_id"], as_index=False, dropna=False)[
            ["numerator", "denominator"]].sum()
        parts.append(by.assign(level="school"))
    out = pd.concat([p for p in parts if not p.empty], ignore_index=True) if parts else empty()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = np.where(out["denominator"] > 0, scale * out["numerator"] / out["denominator"].where(
            out["denominator"] > 0, 1), np.nan)
    return out[VALUE_COLUMNS]


def marks_share(marks: pd.DataFrame, kind: str, marks_counted: tuple[int, ...]) -> pd.DataFrame:
    """% of participants with the given marks among those with a mark, over the kind's procedures."""
    data = marks[marks["kind"] == kind].copy() if not marks.empty else marks
    if data.empty:
        return empty()
    data["hit"] = sum(data[f"count_{m}"] for m in marks_counted)
    return ratio_by_level(data, "hit", "marked")


def mean_completion(marks: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Mean % completion (primary score in % of the maximum), weighted by participants."""
    data = marks[(marks["kind"] == kind)].dropna(subset=["mean_score_pct"]).copy() if not marks.empty else marks
    if data.empty:
        return empty()
    data["weighted"] = data["mean_score_pct"] * data["participants"]
    return ratio_by_level(data, "weighted", "participants", scale=1.0)


def journal_confirmed(journal: pd.DataFrame, kind: str) -> pd.DataFrame:
    """% of ВПР marks equal to the journal mark among pupils having both."""
    data = journal[journal["kind"] == kind] if not journal.empty else journal
    return ratio_by_level(data, "confirmed", "compared") if not data.empty else empty()


def participation(results: pd.DataFrame) -> pd.DataFrame:
    """present / (present + absent) over the year's procedures."""
    if results.empty:
        return empty()
    data = results.assign(listed=results["present"] + results["absent"])
    return ratio_by_level(data, "present", "listed")


def school_flags(signs: pd.DataFrame, criteria: set | None) -> pd.DataFrame:
    """Per school: evaluated by at least one criterion, flagged by at least one (of `criteria`, None = any)."""
    data = signs if criteria is None else signs[signs["criterion"].isin(criteria)]
    if data.empty:
        return pd.DataFrame(columns=["school_id", "municipality_id", "evaluated", "flagged"])
    # a flag counts only where the criterion could be evaluated (enough pupils, a cohort to compare…)
    data = data.assign(flagged=data["flagged"].astype(bool) & data["evaluated"].astype(bool))
    per_school = data.groupby(["school_id", "municipality_id"], as_index=False, dropna=False).agg(
        evaluated=("evaluated", "max"), flagged=("flagged", "max"))
    return per_school.astype({"evaluated": int, "flagged": int})


def signs_share(signs: pd.DataFrame, criteria: set | None) -> pd.DataFrame:
    """% of evaluated schools with at least one sign."""
    flags = school_flags(signs, criteria)
    return ratio_by_level(flags, "flagged", "evaluated", AREA_LEVELS) if not flags.empty else empty()


def federal_signs(signs: pd.DataFrame) -> pd.DataFrame:
    """The signs the federal method reads: those of ВПР Русский язык and Математика, grades 4–5 (and the cohort rule)."""
    return signs[signs["official_procedure"].astype(bool)] if not signs.empty else signs


def objectivity_index(signs: pd.DataFrame, criteria: set) -> pd.DataFrame:
    """The federal index: 100 − % of evaluated schools with at least one official sign in ВПР Русский язык and
    Математика, grades 4–5 — the region's figure is the stored year index (assessments.stats) to the decimal."""
    out = signs_share(federal_signs(signs), criteria)
    if not out.empty:
        out["value"] = 100.0 - out["value"]
    return out


def schools_share(schools: pd.DataFrame, selected_ids) -> pd.DataFrame:
    """% of the schools of each area that are among `selected_ids`."""
    if schools.empty:
        return empty()
    data = schools.assign(hit=schools["school_id"].isin(set(selected_ids)).astype(int), one=1)
    return ratio_by_level(data, "hit", "one", AREA_LEVELS)


def marked_two_years(schools: pd.DataFrame, federal: pd.DataFrame, year: int) -> pd.DataFrame:
    """% of schools on the federal list of schools with signs both this year and the year before."""
    this = set(federal.loc[federal["year"] == year, "school_id"])
    last = set(federal.loc[federal["year"] == year - 1, "school_id"])
    return schools_share(schools, this & last)


def listed(lists: pd.DataFrame, year: int, kind: str) -> set:
    rows = lists[(lists["year"] == year) & (lists["kind"] == kind) & lists["selected"]]
    return set(rows["school_id"])


def shnor_improving(schools: pd.DataFrame, lists: pd.DataFrame, year: int) -> pd.DataFrame:
    """Of last year's ШНОР: % that left the list this year or whose mean % completion went up."""
    before = lists[(lists["year"] == year - 1) & (lists["kind"] == "low") & lists["selected"]]
    if before.empty:
        return empty()
    now = lists[(lists["year"] == year) & (lists["kind"] == "low")].set_index("school_id")
    still = listed(lists, year, "low")
    improving = [
        int(row.school_id not in still or (row.school_id in now.index
                                           and now.loc[row.school_id, "mean_pct"] > row.mean_pct))
        for row in before.itertuples()
    ]
    data = before[["school_id"]].assign(improving=improving, one=1).merge(
        schools[["school_id", "municipality_id"]], on="school_id", how="left")
    return ratio_by_level(data, "improving", "one", AREA_LEVELS)


def risk_share(risk: pd.DataFrame, marks: pd.DataFrame) -> pd.DataFrame:
    """Pupils in risk groups per 100 participants of the year's procedures."""
    if marks.empty:
        return empty()
    participants = marks.groupby(["school_id", "municipality_id"], as_index=False, dropna=False)["participants"].sum()
    data = participants.merge(risk, on="school_id", how="left").fillna({"pupils": 0})
    return ratio_by_level(data, "pupils", "participants")


def assignment_rate(assignments: pd.DataFrame, status: str) -> pd.DataFrame:
    """% of roadmap assignments (cancelled ones left out) in `status`, by the executor's area."""
    data = assignments[assignments["status"] != "cancelled"] if not assignments.empty else assignments
    if data.empty:
        return empty()
    data = data.assign(hit=(data["status"] == status).astype(int), one=1,
                       school_id=data["school_id"])
    out = ratio_by_level(data, "hit", "one", AREA_LEVELS)
    schools = ratio_by_level(data.dropna(subset=["school_id"]), "hit", "one", ("school",))
    return pd.concat([out, schools], ignore_index=True) if not schools.empty else out


def reported_on_time(reporters: pd.DataFrame) -> pd.DataFrame:
    """% of the municipal offices due to report in the last round that reported by the due date."""
    if reporters.empty:
        return empty()
    data = reporters.assign(hit=reporters["on_time"].astype(int), one=1, school_id=None)
    return ratio_by_level(data, "hit", "one", AREA_LEVELS)


def controlled_sample(participations: pd.DataFrame) -> pd.DataFrame:
    """% of participating schools that wrote at least one of the year's procedures under control."""
    if participations.empty:
        return empty()
    per_school = participations.groupby(["school_id", "municipality_id"], as_index=False, dropna=False).agg(
        controlled=("controlled", "max"))
    per_school = per_school.assign(controlled=per_school["controlled"].astype(int), one=1)
    return ratio_by_level(per_school, "controlled", "one", AREA_LEVELS)


def observed_with_violations(observations: pd.DataFrame) -> pd.DataFrame:
    """% of observers' reports that note at least one violation."""
    if observations.empty:
        return empty()
    data = observations.assign(hit=observations["violations"].astype(int), one=1)
    return ratio_by_level(data, "hit", "one")


def flagged_rechecked(signs: pd.DataFrame, criteria: set, rechecked: set) -> pd.DataFrame:
    """Of the schools flagged (official criteria) in the year: % whose works were re-checked or cross-checked
    or written under independent/federal checking the same year."""
    flags = school_flags(signs, criteria)
    flagged = flags[flags["flagged"] == 1] if not flags.empty else flags
    if flagged.empty:
        return empty()
    data = flagged.assign(hit=flagged["school_id"].isin(rechecked).astype(int), one=1)
    return ratio_by_level(data, "hit", "one", AREA_LEVELS)
