"""Recomputation: stored results → pure analytics → precomputed tables, replaced atomically.

`procedure_recompute` rebuilds one procedure's statistics and per-procedure signs; `year_recompute`
rebuilds what spans procedures (cohort 4 → 5, the calibrated evaluation, the objectivity index).
Both are idempotent: running them twice leaves the same rows.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
import math

import numpy as np
import pandas as pd
from django.db import models, transaction

from assessments.analytics import objectivity, risk, shnor, statistics
from assessments.models import Procedure
from monitoring.tasks import refresh_after_commit
from rsoko.audit.models import AuditAction
from rsoko.audit.services import audit_record, audited_delete, audited_save, snapshot

from .loading import ProcedureData, load_procedure
from .storage import store_objects, store_rows
from .models import (Deficit, Form, ObjectivityCriterion, ObjectivityIndex, ObjectivitySign, RiskPupil,
                     RussiaMarks, SchoolListEntry, StatisticRow, has_statistics)

LEVELS = ("region", "municipality", "school", "class")
OFFICIAL_SUBJECT_GRADES = {("RU", 4), ("MA", 4), ("RU", 5), ("MA", 5)}
KEY_COLUMNS = ("level", "municipality_id", "school_id", "class_name")
FLAG_COLUMNS = ("histogram_informative", "group_informative")
SINGLE_LINE_FORMS = {Form.MARKS, Form.JOURNAL}
# Per-line keys not stored: the row has them already (participants), the procedure's tasks have them
# (level, max score), or the page derives them (points, threshold). They were most of the stored volume.
LINE_KEYS_LEFT_OUT = {
    Form.DISTRIBUTION: {"participants"},
    Form.TASKS: {"participants", "points", "task_level", "task_max_score"},
    Form.PLANNED: {"participants", "threshold", "sufficient"},
    Form.TASKS_BY_MARK: {"points", "task_level", "task_max_score"},
}


def benchmark_rates(data: ProcedureData) -> dict:
    """The region's and municipalities' task solve rates, computed once for the four levels of a procedure."""
    if data.is_empty or data.tasks.empty:
        return {}
    return {level: statistics.task_solve_rates(data.results, data.task_scores, data.tasks, level, benchmarks=False)
            for level in ("region", "municipality")}


def form_frames(data: ProcedureData, level: str, rates: dict | None = None) -> dict[str, pd.DataFrame]:
    """Every form of ФИС ОКО's analytics for one level of grouping.

    A class is below both sample rules for the score histogram (50) and, split by mark, for group
    analysis (10), so those two forms are not computed for classes at all: they could only be shown
    as "not informative", and they are most of the volume.
    """
    frames = {
        Form.MARKS: statistics.mark_statistics(data.results, level, max_score=data.max_score or None),
        Form.JOURNAL: statistics.journal_comparison(data.results, level),
    }
    if data.boundaries and data.max_score and level != "class":
        frames[Form.DISTRIBUTION] = statistics.score_distribution(
            data.results, level, max_score=data.max_score, boundaries=data.boundaries)
    if not data.tasks.empty:
        frames[Form.TASKS] = statistics.task_solve_rates(data.results, data.task_scores, data.tasks, level,
                                                         benchmark_rates=rates)
        frames[Form.PLANNED] = pd.concat(
            [statistics.planned_results(data.results, data.task_scores, data.tasks, level, by=by)
             for by in ("skill", "block")], ignore_index=True)
        if level != "class":
            frames[Form.TASKS_BY_MARK] = statistics.task_solve_rates_by_mark(
                data.results, data.task_scores, data.tasks, level)
    return frames


def plain(value):
    """JSON-ready scalars: NaN/NA → None, numpy numbers → Python numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else round(float(value), 4)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def json_column(series: pd.Series) -> list:
    """One column as JSON-ready Python values: floats rounded, NaN/NA → None."""
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=float).round(4)
        return [None if v != v else v for v in values.tolist()]
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype) and not series.hasnans:
        return series.tolist()
    return [None if v is None or v is pd.NA or v != v else v for v in series.tolist()]


def frame_records(frame: pd.DataFrame, columns) -> list[dict]:
    """All rows at once as JSON-ready dicts, built column by column (far faster than DataFrame.to_dict)."""
    columns = list(columns)
    values = [json_column(frame[column]) for column in columns]
    return [dict(zip(columns, row)) for row in zip(*values)]


STATISTIC_FIELDS = ["procedure_id", "form", "level", "municipality_id", "school_id", "class_name", "participants",
                    "histogram_informative", "group_informative", "data"]
RISK_FIELDS = ["procedure_id", "school_id", "class_name", "participant_code", "reason"]


def statistic_rows(procedure: Procedure, form: str, frame: pd.DataFrame) -> list[list]:
    """One stored row per group (values in STATISTIC_FIELDS order); multi-line forms keep their lines as a list in
    `data`. Plain lists, not model instances: a region's procedure has tens of thousands of them."""
    if frame.empty:
        return []
    frame = frame.reset_index(drop=True)
    frame["class_name"] = frame["class_name"].fillna("")
    left_out = LINE_KEYS_LEFT_OUT.get(form, set())
    data_columns = [c for c in frame.columns
                    if c not in KEY_COLUMNS and c not in FLAG_COLUMNS and c != "warning" and c not in left_out]
    records = frame_records(frame, data_columns)
    participants = frame["participants"].to_numpy()
    histogram_ok, group_ok = frame["histogram_informative"].to_numpy(), frame["group_informative"].to_numpy()
    rows = []
    single = form in SINGLE_LINE_FORMS
    for keys, positions in group_positions(frame, single):
        level, municipality_id, school_id, class_name = keys
        first = positions[0]
        rows.append([procedure.pk, form, level, plain(municipality_id), plain(school_id), class_name or "",
                     int(participants[first]), bool(histogram_ok[first]), bool(group_ok[first]),
                     records[first] if single else [records[i] for i in positions]])
    return rows


def group_positions(frame: pd.DataFrame, single: bool):
    """(keys, row positions) of each group; a single-line form has one row per group already, so it is not
    grouped (grouping was a third of storing a procedure's statistics)."""
    keys = frame[list(KEY_COLUMNS)]
    if single and not keys.duplicated().any():
        return zip(keys.itertuples(index=False, name=None), ([i] for i in range(len(frame))))
    return frame.groupby(list(KEY_COLUMNS), dropna=False, sort=False).indices.items()


def criterion_params() -> objectivity.ObjectivityParams:
    """The ministry's thresholds from the criteria table, over the defaults of the method."""
    known = {f.name for f in fields(objectivity.ObjectivityParams)}
    overrides = {}
    for criterion in ObjectivityCriterion.objects.all():
        overrides.update({k: v for k, v in (criterion.params or {}).items() if k in known})
    return objectivity.ObjectivityParams(**overrides)


RECHECK = "recheck_disagreement"


def active_criteria() -> set[str]:
    inactive = set(ObjectivityCriterion.objects.filter(is_active=False).values_list("code", flat=True))
    return (set(objectivity.CRITERIA) | {RECHECK}) - inactive


def recheck_signs_store(*, procedure_id: int) -> int:
    """Rebuilds only the re-check disagreement rows of a procedure (after experts' scores settle a work)."""
    procedure = Procedure.objects.get(pk=procedure_id)
    frame = recheck_sign_frame(procedure)
    signs = sign_objects(frame, year=procedure.year, procedure=procedure) if RECHECK in active_criteria() else []
    with transaction.atomic():
        ObjectivitySign.objects.filter(procedure=procedure, criterion=RECHECK).delete()
        store_objects(ObjectivitySign, signs)
    return len(signs)


def recheck_sign_frame(procedure: Procedure) -> pd.DataFrame:
    """Re-check disagreement from the procedure's re-check campaigns (empty when there are none)."""
    from assessments.fieldwork.selectors import recheck_signs

    return recheck_signs(procedure)


def procedure_signs(data: ProcedureData, params) -> pd.DataFrame:
    """Per-procedure signs: the official mean and Spearman rules, heaping at cut scores, raised marks,
    and re-check disagreement where experts have re-checked the works."""
    frames = [objectivity.official_mean_ci(data.results, params),
              objectivity.official_spearman(data.results, params),
              objectivity.raised_marks_sign(data.results, params)]
    if data.boundaries:
        frames.append(objectivity.heaping_sign(data.results, data.boundaries, params))
    recheck = recheck_sign_frame(data.procedure)
    if not recheck.empty:
        frames.append(recheck)
    signs = pd.concat(frames, ignore_index=True)
    return signs[signs["criterion"].isin(active_criteria())]


def criterion_versions() -> dict[str, int]:
    return dict(ObjectivityCriterion.objects.values_list("code", "version"))


def sign_objects(signs: pd.DataFrame, *, year: int, procedure: Procedure | None) -> list[ObjectivitySign]:
    """Rows to store; the version is the criterion's current one (it grows when the ministry edits it).

    A МПР has none: signs compare a school with the region's pupils of the same work, a МПР's pupils are one
    municipality's, and its signs would enter the region's lists and alerts as if they were the ВПР's."""
    if procedure is not None and procedure.is_municipal:
        return []
    signs = signs.copy()
    versions = criterion_versions()
    signs["version"] = [max(int(v), versions.get(c, 0)) for c, v in zip(signs["criterion"], signs["version"])]
    columns = ["school_id", "criterion", "version", "value", "threshold", "sample_size", "evaluated", "flagged",
               "p_value", "explanation"]
    has_q = "q_value" in signs
    records = frame_records(signs, columns + (["q_value"] if has_q else []))
    return [ObjectivitySign(year=year, procedure=procedure, **record) for record in records]


def gradable(data: ProcedureData) -> bool:
    """Signs need marks and journal marks: procedures graded by a scale with participants."""
    return not data.is_empty and bool(data.boundaries) and data.max_score > 0


@dataclass
class ProcedureFigures:
    """What a procedure's recomputation stores, computed before anything is deleted (the transaction stays short)."""

    rows: list  # StatisticRow values in STATISTIC_FIELDS order
    pupils: list  # RiskPupil values in RISK_FIELDS order
    deficits: list
    signs: list
    summary: dict


def procedure_recompute(*, procedure_id: int, progress=None, cache: "LoadedProcedures | None" = None) -> dict:
    """Rebuilds the statistics and the per-procedure signs of one procedure (all or nothing)."""
    progress = progress or (lambda stage, percent: None)
    procedure = Procedure.objects.select_related("scale", "subject", "kind").get(pk=procedure_id)
    progress("Загрузка результатов", 5)
    data = (cache or LoadedProcedures()).get(procedure)
    figures = procedure_figures(data, progress)
    progress("Запись", 85)
    procedure_store(procedure, figures)
    return figures.summary


def procedure_figures(data: ProcedureData, progress=None) -> ProcedureFigures:
    progress = progress or (lambda stage, percent: None)
    procedure = data.procedure
    rows, rates = [], benchmark_rates(data)
    for step, level in enumerate(LEVELS):
        progress(f"Статистика: уровень «{level}»", 10 + step * 15)
        if not data.is_empty:
            for form, frame in form_frames(data, level, rates).items():
                rows.extend(statistic_rows(procedure, form, frame))
    progress("Признаки необъективности", 70)
    signs = sign_objects(procedure_signs(data, criterion_params()), year=procedure.year, procedure=procedure) \
        if gradable(data) else []
    pupils, deficits = (risk_objects(data), deficit_objects(data)) if not data.is_empty and not data.tasks.empty else ([], [])
    summary = {"statistics": len(rows), "signs": len(signs), "participants": len(data.results), "risk_pupils": len(pupils)}
    return ProcedureFigures(rows, pupils, deficits, signs, summary)


def procedure_store(procedure: Procedure, figures: ProcedureFigures) -> None:
    """Replaces the procedure's derived rows. The procedure is locked first (a concurrent deletion waits, then
    cascades to the new rows): the database does not check their procedure key (see StatisticRow)."""
    with transaction.atomic():
        if not Procedure.objects.select_for_update(no_key=True).filter(pk=procedure.pk).exists():
            return  # deleted while its figures were computed
        StatisticRow.objects.filter(procedure=procedure).delete()
        store_rows(StatisticRow, STATISTIC_FIELDS, figures.rows)
        RiskPupil.objects.filter(procedure=procedure).delete()
        store_rows(RiskPupil, RISK_FIELDS, figures.pupils)
        Deficit.objects.filter(procedure=procedure).delete()
        store_objects(Deficit, figures.deficits)
        ObjectivitySign.objects.filter(procedure=procedure).delete()
        store_objects(ObjectivitySign, figures.signs)
        store_procedure_index(procedure, figures.signs)


def recompute_in_worker(procedure_id: int) -> tuple[dict, ProcedureData]:
    """A worker process's part (see `rsoko.workers`): the procedure recomputed and stored, as procedure_recompute
    does, on the worker's own connection. The results go back too: the year's figures read them."""
    cache = LoadedProcedures()
    summary = procedure_recompute(procedure_id=procedure_id, cache=cache)
    return summary, cache.loaded[procedure_id]


def risk_objects(data: ProcedureData) -> list[list]:
    """The risk group (codes only): pupils below the basic level, as values in RISK_FIELDS order."""
    pupils = risk.risk_group_pupils(data.results, data.task_scores.astype(float), data.tasks)
    return [[data.procedure.pk, int(school_id), class_name or "", code, reason] for school_id, class_name, code, reason
            in zip(pupils["school_id"].tolist(), pupils["class_name"].tolist(), pupils["participant_code"].tolist(),
                   pupils["reason"].tolist())]


def deficit_objects(data: ProcedureData) -> list[Deficit]:
    """Tasks and skills below their threshold (or in its uncertainty zone), per school and municipality."""
    scores = data.task_scores.astype(float)
    objects = []
    for level in ("municipality", "school"):
        tasks = risk.task_deficits(data.results, scores, data.tasks, level, benchmarks=False).assign(kind="task")
        skills = risk.skill_deficits(data.results, scores, data.tasks, level).assign(kind="skill")
        frame = pd.concat([tasks, skills], ignore_index=True)
        if frame.empty:
            continue
        columns = [c for c in ("kind", "label", "item", "task_level", "solve_pct", "achievement_pct", "threshold",
                               "status", "participants") if c in frame]
        records = frame_records(frame, columns)
        for (municipality_id, school_id), positions in frame.groupby(["municipality_id", "school_id"], dropna=False,
                                                                   sort=False).indices.items():
            objects.append(Deficit(procedure=data.procedure, level=level, municipality_id=plain(municipality_id),
                                   school_id=plain(school_id), data=[records[i] for i in positions]))
    return objects


def store_procedure_index(procedure: Procedure, signs: list[ObjectivitySign]) -> None:
    frame = pd.DataFrame([{"school_id": s.school_id, "criterion": s.criterion, "evaluated": s.evaluated,
                           "flagged": s.flagged} for s in signs])
    ObjectivityIndex.objects.filter(year=procedure.year, procedure=procedure).delete()
    if frame.empty:
        return
    index = objectivity.objectivity_index(frame)
    ObjectivityIndex.objects.create(year=procedure.year, procedure=procedure, **{k: plain(v) for k, v in index.items()})


def official_procedures(year: int):
    """The procedures the federal method reads: ВПР Русский язык and Математика, grades 4 and 5."""
    return Procedure.objects.filter(kind__slug="VPR", year=year, subject__code__in=["RU", "MA"], grade__in=[4, 5])


class LoadedProcedures:
    """Each procedure's results loaded once per recomputation (signs, cohorts and ШНОР share them)."""

    def __init__(self):
        self.loaded: dict[int, ProcedureData] = {}

    def get(self, procedure: Procedure) -> ProcedureData:
        if procedure.pk not in self.loaded:
            self.loaded[procedure.pk] = load_procedure(procedure)
        return self.loaded[procedure.pk]

    def forget_year(self, year: int) -> None:
        """Frees the results of a year no later step reads (a region's three years do not fit in memory at once)."""
        self.loaded = {pk: data for pk, data in self.loaded.items() if data.procedure.year > year}


def cohort_inputs(year: int, loaded: dict, params, cache: LoadedProcedures) -> tuple[list, list]:
    """Official cohort signs and calibrated cohort components: grade 4 of year−1 → grade 5 of year."""
    signs, components = [], []
    for subject in ("RU", "MA"):
        grade5 = next((d for d in loaded.values() if d.procedure.subject.code == subject and d.procedure.grade == 5), None)
        grade4_procedure = official_procedures(year - 1).filter(subject__code=subject, grade=4).first()
        if grade5 is None or grade4_procedure is None:
            continue
        grade4 = cache.get(grade4_procedure)
        if not (gradable(grade4) and gradable(grade5)):
            continue
        cohort = objectivity.cohort_frame(grade4.results, grade4.max_score, grade5.results, grade5.max_score)
        signs.append(objectivity.official_cohort(cohort, params))
        components.append(objectivity.cohort_components(cohort, params))
    return signs, components


def year_signs(year: int, params, cache: LoadedProcedures) -> pd.DataFrame:
    loaded = {p.pk: cache.get(p) for p in official_procedures(year).select_related("scale", "subject")}
    loaded = {pk: data for pk, data in loaded.items() if gradable(data)}
    cohort_signs, cohort_components = cohort_inputs(year, loaded, params, cache)
    frames = list(cohort_signs)
    components = [objectivity.calibrated_components(d.results, d.max_score, d.boundaries, params)
                  for d in loaded.values()]
    if components:
        frames.append(objectivity.calibrated_evaluation(components, cohort_components or None, params))
    if not frames:
        return pd.DataFrame(columns=objectivity.SIGN_COLUMNS)
    signs = pd.concat(frames, ignore_index=True)
    return signs[signs["criterion"].isin(active_criteria())]


def year_recompute(*, year: int, progress=None, cache: "LoadedProcedures | None" = None) -> dict:
    """Signs over the year's procedures (cohort, calibrated evaluation) and the year's objectivity index."""
    progress = progress or (lambda stage, percent: None)
    progress(f"Признаки за {year} год", 10)
    cache = cache or LoadedProcedures()
    year_frame = year_signs(year, criterion_params(), cache)
    signs = sign_objects(year_frame, year=year, procedure=None)
    progress("ШНОР и школы с высокими результатами", 60)
    lists = school_list_objects(year, year_frame, cache)
    with transaction.atomic():
        ObjectivitySign.objects.filter(year=year, procedure__isnull=True).delete()
        store_objects(ObjectivitySign, signs)
        store_year_index(year)
        SchoolListEntry.objects.filter(year=year).delete()
        store_objects(SchoolListEntry, lists)
    return {"year": year, "signs": len(signs), "lists": len(lists)}


def shnor_rule() -> shnor.ShnorRule:
    """The ministry's ШНОР rule from the criteria table («shnor» row), over the defaults."""
    known = {f.name for f in fields(shnor.ShnorRule)}
    row = ObjectivityCriterion.objects.filter(code="shnor").first()
    params = {k: v for k, v in ((row.params if row else None) or {}).items() if k in known}
    return shnor.ShnorRule(**params)


def school_list_objects(year: int, year_frame: pd.DataFrame, cache: LoadedProcedures) -> list[SchoolListEntry]:
    """ШНОР and the bank of high results for the year, over the year and the years before it.

    Schools flagged by the calibrated evaluation are left out: the official mean rule flags most strong
    schools, so excluding by it would empty the bank of high results (see assessments.analytics.pipeline).
    """
    rule = shnor_rule()
    running = range(year - rule.years_running + 1, year + 1)
    procedures = Procedure.objects.regional().filter(has_statistics(), year__in=running).select_related("scale")
    loaded = [cache.get(p) for p in procedures]
    loaded = [d for d in loaded if not d.is_empty and d.max_score]
    if not any(d.procedure.year == year for d in loaded):
        return []
    aggregates = shnor.school_results((d.procedure.year, d.procedure.pk, d.results, d.max_score) for d in loaded)
    flagged = year_frame[year_frame["criterion"].str.startswith("cal_") & year_frame["flagged"]]
    signs = pd.DataFrame({"school_id": flagged["school_id"].unique(), "year": year})
    context = school_context(loaded)
    entries = []
    for kind, select in ((SchoolListEntry.Kind.LOW, shnor.low_results_schools),
                         (SchoolListEntry.Kind.HIGH, shnor.high_results_schools)):
        frame = select(aggregates, rule, signs=signs, context=context, year=year)
        frame = frame[frame["meets_rule"]]
        for record in frame_records(frame, [c for c in frame.columns]):
            entries.append(SchoolListEntry(year=year, kind=kind, school_id=int(record["school_id"]), data=record))
    return entries


def school_context(loaded: list[ProcedureData]) -> pd.DataFrame:
    """Settlement type and size (largest number of participants in one procedure) of each school."""
    frames = [d.results.groupby("school_id").agg(settlement_type=("settlement_type", "first"),
                                                  size=("school_id", "size")) for d in loaded]
    merged = pd.concat(frames).groupby(level=0).agg(settlement_type=("settlement_type", "first"), size=("size", "max"))
    merged = merged.reset_index()
    from contexts.services import difficult_school_ids  # the ministry's list or criteria (contexts app)

    merged["difficult"] = merged["school_id"].isin(difficult_school_ids())
    return merged


def store_year_index(year: int) -> None:
    """The index over every official sign of the year: per-procedure ones and the cohort rule."""
    official = [c.code for c in objectivity.OFFICIAL]
    rows = ObjectivitySign.objects.filter(year=year, criterion__in=official).filter(
        models.Q(procedure__isnull=True) | models.Q(procedure__in=official_procedures(year)))
    frame = pd.DataFrame(list(rows.values("school_id", "criterion", "evaluated", "flagged")))
    ObjectivityIndex.objects.filter(year=year, procedure__isnull=True).delete()
    if not frame.empty:
        index = objectivity.objectivity_index(frame)
        ObjectivityIndex.objects.create(year=year, procedure=None, **{k: plain(v) for k, v in index.items()})


def region_year_recompute(*, year: int, progress=None) -> dict:
    """Everything of a region year, each procedure's results loaded once: its procedures, then the year."""
    progress = progress or (lambda stage, percent: None)
    cache = LoadedProcedures()
    procedures = list(Procedure.objects.filter(year=year, versions__isnull=False).distinct().order_by("pk"))
    for number, procedure in enumerate(procedures):
        progress(f"Процедура {procedure.code}", 80 * number / max(len(procedures), 1))
        procedure_recompute(procedure_id=procedure.pk, cache=cache)
    progress(f"Признаки, ШНОР и индекс за {year} год", 85)
    summary = year_recompute(year=year, cache=cache)
    return summary | {"procedures": len(procedures)}


def touched_years(procedures) -> list[int]:
    """The years whose cross-procedure figures a change of these procedures touches: their own year, and for a
    grade 4 procedure the next year too (its cohort rule reads grade 4 of the year before)."""
    years = set()
    for procedure in procedures:
        years.add(procedure.year)
        if procedure.grade == 4 and Procedure.objects.filter(year=procedure.year + 1, versions__isnull=False).exists():
            years.add(procedure.year + 1)
    return sorted(years)


def procedures_recompute(*, procedure_ids, progress=None, processes: int | None = None) -> dict:
    """Incremental recomputation after a batch of uploads: each changed procedure once, then each year it
    touches once, every procedure's results loaded once for all of it (not once per procedure and year).

    The procedures are recomputed and stored by `processes` worker processes where that is safe (`rsoko.workers`;
    by default as many as WORKER_PROCESSES allows): the stored rows are the same either way, only their ids follow
    the order in which the workers finish."""
    from rsoko import workers

    progress = progress or (lambda stage, percent: None)
    cache = LoadedProcedures()
    procedures = list(Procedure.objects.filter(pk__in=set(procedure_ids)).order_by("year", "pk"))
    processes = workers.processes() if processes is None else processes
    if processes > 1 and len(procedures) > 1:
        summaries = recompute_in_workers(procedures, processes, cache, progress)
    else:
        summaries = []
        for number, procedure in enumerate(procedures):
            progress(f"Процедура {procedure.code} ({number + 1} из {len(procedures)})",
                     70 * number / max(len(procedures), 1))
            summaries.append(procedure_recompute(procedure_id=procedure.pk, cache=cache))
    years = touched_years(procedures)
    for number, year in enumerate(years):
        progress(f"Признаки, ШНОР и индекс за {year} год", 70 + 30 * number / max(len(years), 1))
        year_recompute(year=year, cache=cache)
        cache.forget_year(year - 1)  # the next year reads only its own procedures and this year's grade 4
    return {"procedures": len(procedures), "years": years,
            "statistics": sum(s["statistics"] for s in summaries), "signs": sum(s["signs"] for s in summaries)}


def recompute_in_workers(procedures: list[Procedure], processes: int, cache: "LoadedProcedures", progress) -> list:
    """Workers recompute and store the procedures, each in its own transaction, both cores and two database
    sessions at work (storing them all here, one after another, was most of the recomputation's time)."""
    from rsoko.workers import worker_pool

    summaries = []
    with worker_pool(min(processes, len(procedures))) as pool:
        computed = pool.imap(recompute_in_worker, [p.pk for p in procedures])
        for number, (procedure, (summary, data)) in enumerate(zip(procedures, computed)):
            progress(f"Процедура {procedure.code} ({number + 1} из {len(procedures)})",
                     70 * number / max(len(procedures), 1))
            cache.loaded[procedure.pk] = data
            summaries.append(summary)
    return summaries


def analytics_refresh(*, procedure_id: int, progress=None) -> dict:
    """Everything a change of one procedure's results touches: its own figures and its year's signs;
    a grade 4 procedure also feeds next year's cohort rule."""
    progress = progress or (lambda stage, percent: None)
    summary = procedure_recompute(procedure_id=procedure_id, progress=lambda s, p: progress(s, p * 0.7))
    procedure = Procedure.objects.get(pk=procedure_id)
    years = [procedure.year] + ([procedure.year + 1] if procedure.grade == 4 else [])
    for year in years:
        progress(f"Признаки за {year} год", 75)
        year_recompute(year=year)
    return summary | {"years": years}


def recompute_job(job, progress) -> dict:
    """Job handler: after uploads (`procedure_ids`) or a change of the criteria (`years`: everything).

    The parameters are read again once the job is claimed: uploads merged into it while it waited are included.
    """
    from rsoko.jobs.models import Job

    params = Job.objects.filter(pk=job.pk).values_list("params", flat=True).first() or job.params
    procedure_ids, years = params.get("procedure_ids") or [], params.get("years") or []
    with_years = [pk for pk in procedure_ids if not Procedure.objects.filter(pk=pk, year__in=years).exists()]
    steps = ([("procedures", with_years)] if with_years else []) + [("year", year) for year in years]
    share = 100 / max(len(steps), 1)
    for number, (kind, key) in enumerate(steps):
        step_progress = lambda stage, percent, n=number: progress(stage, n * share + percent * share / 100)  # noqa: E731
        if kind == "procedures":
            procedures_recompute(procedure_ids=key, progress=step_progress)
        else:
            region_year_recompute(year=key, progress=step_progress)
    refresh_after_commit()  # monitoring indicators are computed from these tables
    return {"summary": f"Пересчитано: процедур {len(procedure_ids)}, лет {len(years)}.",
            "procedures": len(procedure_ids), "years": years}


DEFERRED: ContextVar[set | None] = ContextVar("deferred_recompute", default=None)


@contextmanager
def recompute_deferred():
    """Inside it, uploads only note their procedures (the yielded set): the archive import recomputes once at the end."""
    touched: set[int] = set()
    token = DEFERRED.set(touched)
    try:
        yield touched
    finally:
        DEFERRED.reset(token)


def schedule_recompute(*, procedure_ids=(), years=(), user=None, reason: str) -> "Job | None":
    """One recomputation per batch of uploads: while a recomputation job still waits in the queue, a new change
    joins it (debounce) instead of queueing a job of its own; a job already running is left alone."""
    from rsoko.jobs.models import Job, JobStatus
    from rsoko.jobs.services import job_create

    deferred = DEFERRED.get()
    if deferred is not None and not years:
        deferred.update(procedure_ids)
        return None
    with transaction.atomic():
        waiting = Job.objects.select_for_update().filter(kind="analytics_recompute", status=JobStatus.QUEUED,
                                                         attempts=0).order_by("id").first()
        if waiting is not None and join_waiting(waiting, procedure_ids, years):
            return waiting
        return job_create(
            kind="analytics_recompute", title=f"Пересчёт аналитики: {reason}",
            handler="assessments.stats.services.recompute_job", user=user,
            params={"procedure_ids": sorted(set(procedure_ids)), "years": sorted(set(years))})


def join_waiting(job, procedure_ids, years) -> bool:
    """Adds the change to a queued job; False when it was claimed meanwhile (the update is conditional)."""
    from rsoko.jobs.models import Job, JobStatus

    params = {"procedure_ids": sorted(set(job.params.get("procedure_ids") or []) | set(procedure_ids)),
              "years": sorted(set(job.params.get("years") or []) | set(years))}
    title = job.title if job.title.endswith("…") else f"{job.title[:280]} и др. …"
    return bool(Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED, attempts=0).update(params=params, title=title))


def criterion_update(*, actor, criterion: ObjectivityCriterion, params: dict, is_active: bool) -> tuple[bool, object]:
    """A new version of the criterion; every procedure with results is then recomputed.

    Returns (changed, the recomputation job or None when there is nothing to recompute)."""
    if params == criterion.params and is_active == criterion.is_active:
        return False, None
    before = snapshot(criterion)
    with transaction.atomic():
        criterion.params, criterion.is_active = params, is_active
        criterion.version += 1
        criterion.updated_by = actor
        criterion.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=criterion, before=before, source="веб")
        years = list(Procedure.objects.filter(has_statistics()).order_by("year").values_list("year", flat=True)
                     .distinct())
        job = schedule_recompute(years=years, user=actor,
                                 reason=f"изменён критерий «{criterion.title}»") if years else None
    return True, job


class FederalListError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


def federal_list_import(*, actor, name: str, data: bytes) -> dict:
    """Stores the federal list (school code + markers per year), replacing the years it contains."""
    from django.conf import settings as django_settings

    from rsoko.orgs.models import Organization
    from rsoko.tables import TableFileError, read_table_file

    from .federal import parse_federal_list
    from .models import FederalMark

    try:
        sheets = read_table_file(name, data, limit_bytes=django_settings.UPLOAD_MAX_MB * 1024 * 1024)
    except TableFileError as exc:
        raise FederalListError([str(exc)]) from None
    parsed = parse_federal_list(sheets)
    schools = Organization.objects.by_school_codes({code for code, _ in parsed.records})
    unknown = sorted({code for code, _ in parsed.records if code not in schools})
    errors = parsed.errors + [f"ОО с кодом «{code}» нет в реестре." for code in unknown]
    if errors:
        raise FederalListError(errors)
    years = {year for _, year in parsed.records}
    with transaction.atomic():
        FederalMark.objects.filter(year__in=years).delete()
        FederalMark.objects.bulk_create([FederalMark(year=year, school=schools[code], markers=markers)
                                         for (code, year), markers in parsed.records.items()])
    return {"schools": len(parsed.records), "years": sorted(years)}


@transaction.atomic
def russia_marks_save(*, actor, procedure: Procedure, pct_2: float, pct_3: float, pct_4: float, pct_5: float,
                      source: str = "") -> RussiaMarks:
    """Enters (or corrects) the federal mark distribution of a procedure."""
    values = {"pct_2": pct_2, "pct_3": pct_3, "pct_4": pct_4, "pct_5": pct_5, "source": source, "entered_by": actor}
    return audited_save(RussiaMarks, actor=actor, key={"procedure": procedure}, values=values, source="форма")


@transaction.atomic
def russia_marks_delete(*, actor, figure: RussiaMarks) -> None:
    audited_delete(actor=actor, instance=figure, source="форма")
