"""Everything for one procedure and for one region year, as the precomputation will call it.

Pure as the rest of the package: the caller loads the frames (input contract in ``__init__``) and stores
the returned frames; keys that identify the procedure (``procedure``) are added here so that the rows of
several procedures can be stored in one table.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import objectivity as ob
from . import risk, shnor
from . import statistics as st
from .contract import check_inputs
from .groups import LEVELS


@dataclass
class ProcedureInput:
    """One procedure instance: its key (e.g. the Procedure id), results and specification."""

    key: object
    year: int
    subject: str
    grade: int | None
    results: pd.DataFrame
    task_scores: np.ndarray
    tasks: pd.DataFrame
    max_score: int
    boundaries: dict = field(default_factory=dict)

    def __post_init__(self):
        # Sums run on floats: convert the task matrix once instead of in every statistic.
        check_inputs(self.results, self.task_scores, self.tasks, max_score=self.max_score,
                     boundaries=self.boundaries)
        self.task_scores = np.asarray(self.task_scores, dtype=float)

    @classmethod
    def from_synthetic(cls, procedure) -> "ProcedureInput":
        return cls(key=procedure.code, year=procedure.year, subject=procedure.subject, grade=procedure.grade,
                   results=procedure.results, task_scores=procedure.task_scores, tasks=procedure.tasks,
                   max_score=procedure.max_score, boundaries=procedure.boundaries)


def procedure_statistics(p: ProcedureInput, *, levels=LEVELS) -> dict[str, pd.DataFrame]:
    """The seven forms at every level, each a frame with a ``procedure`` column (rows of all levels)."""
    builders = {
        "marks": lambda level: st.mark_statistics(p.results, level, max_score=p.max_score),
        "journal": lambda level: st.journal_comparison(p.results, level),
        "distribution": lambda level: st.score_distribution(p.results, level, max_score=p.max_score,
                                                           boundaries=p.boundaries),
        "tasks": lambda level: st.task_solve_rates(p.results, p.task_scores, p.tasks, level),
        "skills": lambda level: st.planned_results(p.results, p.task_scores, p.tasks, level, by="skill"),
        "blocks": lambda level: st.planned_results(p.results, p.task_scores, p.tasks, level, by="block"),
        "tasks_by_mark": lambda level: st.task_solve_rates_by_mark(p.results, p.task_scores, p.tasks, level),
    }
    out = {}
    for name, build in builders.items():
        frame = pd.concat([build(level) for level in levels], ignore_index=True)
        frame.insert(0, "procedure", p.key)
        out[name] = frame
    return out


def procedure_signs(p: ProcedureInput, params: ob.ObjectivityParams = ob.ObjectivityParams()) -> pd.DataFrame:
    """The per-procedure signs: official mean and Spearman, heaping, raised marks."""
    frames = [ob.official_mean_ci(p.results, params), ob.official_spearman(p.results, params),
              ob.heaping_sign(p.results, p.boundaries, params), ob.raised_marks_sign(p.results, params)]
    signs = pd.concat(frames, ignore_index=True)
    signs.insert(0, "procedure", p.key)
    return signs


def procedure_risk(p: ProcedureInput) -> dict[str, pd.DataFrame]:
    out = {
        "pupils": risk.risk_group_pupils(p.results, p.task_scores, p.tasks),
        "classes": risk.risk_group_counts(p.results, p.task_scores, p.tasks, "class"),
        "task_deficits": pd.concat([risk.task_deficits(p.results, p.task_scores, p.tasks, level)
                                    for level in ("municipality", "school")], ignore_index=True),
        "skill_deficits": pd.concat([risk.skill_deficits(p.results, p.task_scores, p.tasks, level)
                                     for level in ("municipality", "school")], ignore_index=True),
    }
    for frame in out.values():
        frame.insert(0, "procedure", p.key)
    return out


def cohort_pairs(procedures: list, previous: list):
    """(subject, grade-4 input of the previous year, grade-5 input of this year) for each subject."""
    fours = {p.subject: p for p in previous if p.grade == 4}
    return [(p.subject, fours[p.subject], p) for p in procedures if p.grade == 5 and p.subject in fours]


def year_evaluation(procedures: list, previous: list = (), *, params: ob.ObjectivityParams = ob.ObjectivityParams(),
                    ) -> dict[str, pd.DataFrame]:
    """Signs of one region year: per-procedure signs, the official cohort sign, the calibrated evaluation,
    its school summary and the objectivity index per procedure.

    ``previous``: the previous year's procedures (only grade 4 is used, for the cohort rule).
    """
    signs = pd.concat([procedure_signs(p, params) for p in procedures], ignore_index=True)
    cohort_rows, cohort_z = [], []
    for subject, four, five in cohort_pairs(procedures, list(previous)):
        cohort = ob.cohort_frame(four.results, four.max_score, five.results, five.max_score)
        rows = ob.official_cohort(cohort, params)
        rows.insert(0, "procedure", five.key)
        cohort_rows.append(rows)
        cohort_z.append(ob.cohort_components(cohort, params))
    if cohort_rows:
        signs = pd.concat([signs, *cohort_rows], ignore_index=True)
    components = [ob.calibrated_components(p.results, p.max_score, p.boundaries, params) for p in procedures]
    calibrated = ob.calibrated_evaluation(components, cohort_z, params)
    index = pd.DataFrame([{"procedure": key, **ob.objectivity_index(rows)} for key, rows in signs.groupby("procedure")])
    return {"signs": signs, "calibrated": calibrated, "calibrated_schools": ob.school_summary(calibrated),
            "index": index}


def region_year(procedures: list, previous: list = (), *, params: ob.ObjectivityParams = ob.ObjectivityParams(),
                shnor_rule: shnor.ShnorRule = shnor.ShnorRule(), context: pd.DataFrame | None = None,
                exclude_by: str = "calibrated") -> dict:
    """The full pure recomputation of a region year: statistics, risk and deficits of every procedure,
    signs and the calibrated evaluation, ШНОР and the bank of high results (over this and the previous
    year). Returns a dict of frames ready to be stored.

    ``exclude_by`` chooses which signs leave a school out of ШНОР and the bank: "calibrated" (default:
    schools flagged by the calibrated evaluation) or "official" (any official sign). With "official" the
    bank of high results is nearly empty by construction — the official mean rule flags most strong
    schools — which is why the calibrated evaluation is the default here.
    """
    out = {"statistics": [procedure_statistics(p) for p in procedures],
           "risk": [procedure_risk(p) for p in procedures]}
    evaluation = year_evaluation(procedures, previous, params=params)
    out.update(evaluation)
    all_procedures = [*previous, *procedures]
    aggregates = shnor.school_results((p.year, p.key, p.results, p.max_score) for p in all_procedures)
    year = max(p.year for p in procedures)
    signs_by_year = pd.DataFrame({"school_id": _schools_with_signs(evaluation, exclude_by), "year": year})
    out["shnor"] = shnor.low_results_schools(aggregates, shnor_rule, signs=signs_by_year, context=context, year=year)
    out["high_results"] = shnor.high_results_schools(aggregates, shnor_rule, signs=signs_by_year, context=context,
                                                     year=year)
    return out


def _schools_with_signs(evaluation: dict, exclude_by: str):
    if exclude_by == "calibrated":
        summary = evaluation["calibrated_schools"]
        return summary.loc[summary["flagged"], "school_id"].unique()
    if exclude_by == "official":
        signs = evaluation["signs"]
        official = signs["criterion"].isin([c.code for c in ob.OFFICIAL]) & signs["flagged"]
        return signs.loc[official, "school_id"].unique()
    raise ValueError("exclude_by: 'calibrated' или 'official'")
