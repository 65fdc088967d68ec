"""A synthetic region with a known answer: schools, pupils, ВПР results and planted non-objective schools.

Used by the analytics tests (detection and false-positive rates), by ``bench/recompute.py`` and later by
the demo. Everything is drawn from one seeded generator, so a seed gives the same region every time.

Model
-----
- Schools: urban (15–120 pupils per grade) and rural (5–30), grouped in municipalities; a latent school
  ability (urban schools slightly stronger) and a school-specific leniency of journal marks.
- Pupils: ability = school ability + individual deviation; a cohort keeps its pupils from grade 4 in one
  year to grade 5 the next (with some individual drift), so the official cohort rule has real cohorts.
- Tests: ВПР-2021 scales (Русский/Математика 4 and 5), tasks with partial credit, difficulty by level
  Б/П/В; a pupil earns Binomial(max, p) on a task with p logistic in (ability − difficulty).
- Journal marks: cut points on ability + school leniency + noise (4 % without a mark).

Planted schools (only schools with at least ``PLANT_MIN_SIZE`` pupils per grade, one kind per school):
- ``heaping``: in the last year, pupils up to ``heaping_points`` (default 2) points below a mark boundary are
  pushed onto it, each with probability ``heaping_share`` (default 0.9), a point at a time on tasks with room;
- ``inflated``: in the last year, test results are raised while journal marks stay as they were;
- ``against_journal``: in the last year, journal marks run against the pupils' results;
- ``cohort_fall`` / ``cohort_rise``: grade 4 of the first year (fall) or grade 5 of the last year (rise)
  inflated, so one cohort jumps between grade 4 and grade 5.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessments.analytics.statistics import score_to_mark

PLANT_MIN_SIZE = 20
PLANT_KINDS = ("heaping", "inflated", "against_journal", "cohort_fall", "cohort_rise")
JOURNAL_CUTS = (-2.3, -0.45, 0.75)
LEVEL_DIFFICULTY = {"Б": (-1.2, 0.45), "П": (0.0, 0.35), "В": (0.8, 0.3)}


@dataclass(frozen=True)
class ProcedureSpec:
    subject: str
    grade: int
    boundaries: dict
    task_max: tuple

    @property
    def max_score(self) -> int:
        return int(sum(self.task_max))


# ВПР-2021 scales (DOMAIN §2); the task lists add up to the official maximum.
DEFAULT_SPECS = (
    ProcedureSpec("RU", 4, {"3": 14, "4": 24, "5": 33}, (4, 3, 3, 2, 2, 3, 2, 2, 2, 3, 2, 3, 2, 3, 2)),
    ProcedureSpec("MA", 4, {"3": 6, "4": 10, "5": 15}, (1, 1, 1, 2, 1, 1, 2, 1, 2, 2, 2, 4)),
    ProcedureSpec("RU", 5, {"3": 18, "4": 29, "5": 39}, (9, 3, 4, 3, 4, 3, 4, 3, 3, 3, 3, 3)),
    ProcedureSpec("MA", 5, {"3": 7, "4": 11, "5": 15}, (1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 3, 3)),
)


@dataclass
class SyntheticProcedure:
    """One procedure instance in the input contract of ``assessments.analytics``."""

    code: str
    year: int
    subject: str
    grade: int
    max_score: int
    boundaries: dict
    tasks: pd.DataFrame
    results: pd.DataFrame
    task_scores: np.ndarray


@dataclass
class SyntheticRegion:
    schools: pd.DataFrame
    planted: pd.DataFrame
    procedures: list = field(default_factory=list)

    def procedure(self, year: int, subject: str, grade: int) -> SyntheticProcedure:
        for procedure in self.procedures:
            if (procedure.year, procedure.subject, procedure.grade) == (year, subject, grade):
                return procedure
        raise KeyError((year, subject, grade))

    @property
    def last_year(self) -> int:
        return max(p.year for p in self.procedures)

    def of_year(self, year: int) -> list:
        return [p for p in self.procedures if p.year == year]

    @property
    def participants(self) -> int:
        return sum(len(p.results) for p in self.procedures)


def generate_region(*, seed: int = 2021, n_schools: int = 600, years: tuple = (2020, 2021),
                    specs: tuple = DEFAULT_SPECS, planted_per_kind: int | None = None,
                    school_ability_sd: float = 0.35, absent_share: float = 0.05, inflation: float = 1.3,
                    cohort_jump: float = 1.3, heaping_points: int = 2, heaping_share: float = 0.9) -> SyntheticRegion:
    """Draw a region; ``planted_per_kind`` defaults to one school in 40 per kind (at least 5).

    ``heaping_points``/``heaping_share`` set the size of the planted heaping (the bench's power curve varies
    them): how far below a boundary a pupil may be raised, and the share of such pupils who are.
    """
    rng = np.random.default_rng(seed)
    schools = _schools(rng, n_schools, school_ability_sd)
    per_kind = max(5, n_schools // 40) if planted_per_kind is None else planted_per_kind
    planted = _plant(rng, schools, per_kind)
    kinds = dict(zip(planted["school_id"], planted["kind"]))
    pupils = _pupils(rng, schools, years, specs)
    procedures = []
    for year in years:
        for spec in specs:
            procedures.append(_procedure(rng, spec, year, years, schools, pupils, kinds, absent_share,
                                         inflation, cohort_jump, (heaping_points, heaping_share)))
    return SyntheticRegion(schools=schools, planted=planted, procedures=procedures)


def _schools(rng, n_schools, ability_sd) -> pd.DataFrame:
    rural = rng.random(n_schools) < 0.45
    size = np.where(
        rural,
        np.clip(np.round(rng.lognormal(np.log(12), 0.5, n_schools)), 5, 30),
        np.clip(np.round(rng.lognormal(np.log(50), 0.55, n_schools)), 15, 120),
    ).astype(int)
    ability = rng.normal(0, ability_sd, n_schools) + np.where(rural, -0.15, 0.1)
    n_municipalities = max(3, n_schools // 20)
    return pd.DataFrame({
        "school_id": np.arange(1, n_schools + 1),
        "municipality_id": rng.integers(1, n_municipalities + 1, n_schools),
        "settlement_type": np.where(rural, "сельская местность", "город"),
        "size": size,
        "ability": ability,
        "leniency": -0.3 * ability + rng.normal(0, 0.25, n_schools),
        "grade5_shift": rng.normal(0, 0.1, n_schools),
    })


def _plant(rng, schools, per_kind) -> pd.DataFrame:
    eligible = schools.loc[schools["size"] >= PLANT_MIN_SIZE, "school_id"].to_numpy()
    chosen = rng.choice(eligible, size=min(len(eligible), per_kind * len(PLANT_KINDS)), replace=False)
    kinds = np.repeat(PLANT_KINDS, per_kind)[: len(chosen)]
    return pd.DataFrame({"school_id": chosen, "kind": kinds}).sort_values("school_id").reset_index(drop=True)


def _pupils(rng, schools, years, specs) -> pd.DataFrame:
    """Every cohort (school, year of entering grade 1) with its pupils' general and subject abilities."""
    cohorts = sorted({year - spec.grade for year in years for spec in specs})
    frames = []
    for cohort in cohorts:
        n = np.maximum(3, np.round(schools["size"].to_numpy() * rng.normal(1, 0.1, len(schools)))).astype(int)
        school_idx = np.repeat(np.arange(len(schools)), n)
        frames.append(pd.DataFrame({
            "school_idx": school_idx,
            "cohort": cohort,
            "theta": schools["ability"].to_numpy()[school_idx] + rng.normal(0, 1, len(school_idx)),
            "RU": rng.normal(0, 0.45, len(school_idx)),
            "MA": rng.normal(0, 0.45, len(school_idx)),
            "drift": rng.normal(0, 0.3, len(school_idx)),
        }))
    pupils = pd.concat(frames, ignore_index=True)
    pupils["number"] = pupils.groupby(["school_idx", "cohort"]).cumcount()
    return pupils


# Planned results and content blocks in the wording a codifier uses (the portal shows them as they are loaded from
# the codifier; the synthetic region must not show «Умение 1» placeholders either).
PLANNED_RESULTS = {
    "RU": ["Писать текст под диктовку, соблюдая орфографические и пунктуационные нормы",
           "Проводить морфемный и морфологический разбор слова",
           "Распознавать основную мысль текста и составлять план текста",
           "Находить в предложении главные и второстепенные члены",
           "Понимать значение слова и подбирать к нему синонимы"],
    "MA": ["Выполнять арифметические действия с натуральными числами и дробями",
           "Решать текстовые задачи в одно-два действия",
           "Читать и интерпретировать информацию из таблиц и диаграмм",
           "Вычислять периметр и площадь прямоугольника",
           "Решать задачи на логическое мышление и перебор вариантов"],
}
CONTENT_BLOCKS = {
    "RU": ["Орфография и пунктуация", "Морфология и синтаксис", "Работа с текстом"],
    "MA": ["Числа и вычисления", "Текстовые задачи", "Геометрические фигуры и величины"],
}
GENERIC_RESULTS = ["Знать и понимать основные понятия курса", "Применять знания в учебной ситуации",
                   "Работать с информацией, представленной в разных формах", "Объяснять явления и процессы",
                   "Решать практико-ориентированные задачи"]
GENERIC_BLOCKS = ["Основные понятия", "Применение знаний", "Работа с информацией"]


def _tasks(spec: ProcedureSpec) -> pd.DataFrame:
    count = len(spec.task_max)
    levels = np.where(np.arange(count) < round(count * 0.7), "Б", "П")
    levels[-1] = "В"
    return pd.DataFrame({
        "position": np.arange(1, count + 1),
        "label": [str(i) for i in range(1, count + 1)],
        "max_score": np.array(spec.task_max),
        "level": levels,
        "skill": [PLANNED_RESULTS.get(spec.subject, GENERIC_RESULTS)[i % 5] for i in range(count)],
        "block": [CONTENT_BLOCKS.get(spec.subject, GENERIC_BLOCKS)[i % 3] for i in range(count)],
    })


def _procedure(rng, spec, year, years, schools, pupils, kinds, absent_share, inflation,
               cohort_jump, heaping) -> SyntheticProcedure:
    cohort = pupils[pupils["cohort"] == year - spec.grade]
    cohort = cohort[rng.random(len(cohort)) >= absent_share]
    school_idx = cohort["school_idx"].to_numpy()
    school_ids = schools["school_id"].to_numpy()[school_idx]
    mapped = pd.Series(school_ids).map(kinds)
    kind = np.where(mapped.notna(), mapped.astype(object), "").astype(str)
    last, first = max(years), min(years)

    # RU and MA have abilities of their own; any other subject leans on both (the benches draw every subject)
    subject = cohort[spec.subject] if spec.subject in cohort else (cohort["RU"] + cohort["MA"]) / 2
    true_ability = cohort["theta"].to_numpy() + subject.to_numpy()
    if spec.grade >= 5:
        true_ability = true_ability + cohort["drift"].to_numpy() + schools["grade5_shift"].to_numpy()[school_idx]
    boost = np.zeros(len(cohort))
    boost += np.where((kind == "inflated") & (year == last), inflation, 0.0)
    boost += np.where((kind == "cohort_fall") & (year == first) & (spec.grade == 4), cohort_jump, 0.0)
    boost += np.where((kind == "cohort_rise") & (year == last) & (spec.grade == 5), cohort_jump, 0.0)

    tasks = _tasks(spec)
    difficulty = np.array([rng.normal(*LEVEL_DIFFICULTY[level]) for level in tasks["level"]])
    logits = 1.6 * ((true_ability + boost)[:, None] - difficulty[None, :])
    probability = 1.0 / (1.0 + np.exp(-logits))
    task_scores = rng.binomial(tasks["max_score"].to_numpy()[None, :], probability).astype(np.int64)
    if last == year:
        _push_onto_boundaries(rng, task_scores, tasks["max_score"].to_numpy(), spec.boundaries, kind == "heaping",
                              *heaping)
    primary = task_scores.sum(axis=1).astype(float)

    against = (kind == "against_journal") & (year == last)
    latent = np.where(against, -true_ability, true_ability) + schools["leniency"].to_numpy()[school_idx]
    latent = latent + rng.normal(0, 0.5, len(cohort))
    journal = 2.0 + np.searchsorted(np.array(JOURNAL_CUTS), latent).astype(float)
    journal[rng.random(len(cohort)) < 0.04] = np.nan

    number = cohort["number"].to_numpy()
    letters = np.array(list("абвгд"))[np.minimum(number // 25, 4)]
    code = f"{spec.subject}{spec.grade}-{year}"
    results = pd.DataFrame({
        "school_id": school_ids,
        "municipality_id": schools["municipality_id"].to_numpy()[school_idx],
        "class_name": np.char.add(str(spec.grade), letters),
        "sex": np.where(rng.random(len(cohort)) < 0.5, "м", "ж"),
        "journal_mark": journal,
        "primary_score": primary,
        "mark": score_to_mark(primary, spec.boundaries),
        "settlement_type": schools["settlement_type"].to_numpy()[school_idx],
        "participant_code": pd.Series(school_ids).astype(str).to_numpy() + f"-{year - spec.grade}-"
        + pd.Series(number).astype(str).to_numpy(),
    })
    return SyntheticProcedure(code=code, year=year, subject=spec.subject, grade=spec.grade,
                              max_score=spec.max_score, boundaries=dict(spec.boundaries), tasks=tasks,
                              results=results, task_scores=task_scores)


def _push_onto_boundaries(rng, task_scores, task_max, boundaries, rows_mask, points=2, share=0.9):
    """Heaping: pupils 1…``points`` points short of a boundary get the missing points (task by task), each
    with probability ``share``."""
    primary = task_scores.sum(axis=1)
    missing = np.zeros(len(primary), dtype=np.int64)
    for first in boundaries.values():
        gap = int(first) - primary
        missing = np.where(rows_mask & (gap >= 1) & (gap <= points) & (rng.random(len(primary)) < share), gap,
                           missing)
    for _ in range(points):
        rows = np.flatnonzero(missing > 0)
        if not len(rows):
            break
        room = task_scores[rows] < task_max[None, :]
        pick = np.argmax(room * rng.random(room.shape), axis=1)
        task_scores[rows, pick] += 1
        missing[rows] -= 1
