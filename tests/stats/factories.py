"""A small procedure with results in the `world` schools, recomputed: what analytics pages need."""
import random

from assessments.choices import ParticipantStatus, UploadFormat, UploadMode
from assessments.models import (ParticipantResult, Procedure, ProcedureKind, ResultBatch, ResultVersion, Scale,
                                Subject, Task)
from assessments.stats.services import procedure_recompute

TASKS = [("1", 1, "Б", "Вычисления"), ("2", 2, "Б", "Текстовые задачи"), ("3", 3, "П", "Геометрия")]


def make_procedure(code="VPR-2021-MA-4", year=2021) -> Procedure:
    procedure = Procedure.objects.create(
        code=code, kind=ProcedureKind.objects.get(slug="VPR"), year=year, subject=Subject.objects.get(code="MA"),
        grade=4, max_score=6)
    Task.objects.bulk_create([Task(procedure=procedure, position=i, label=label, max_score=m, level=level, skill=skill,
                                   block=skill) for i, (label, m, level, skill) in enumerate(TASKS, start=1)])
    Scale.objects.create(procedure=procedure, boundaries={"3": 2, "4": 4, "5": 5})
    return procedure


def add_results(procedure, school, pupils: int, *, skill: float, seed: int) -> None:
    rng = random.Random(seed)
    batch = ResultBatch.objects.create(procedure=procedure, filename="t.xlsx", format=UploadFormat.PROTOCOL,
                                       mode=UploadMode.STRICT)
    version = ResultVersion.objects.create(batch=batch, procedure=procedure, school=school, number=1, participants=pupils)
    rows = []
    for n in range(pupils):
        scores = [min(m, max(0, round(rng.gauss(skill * m, 0.8)))) for _, m, _, _ in TASKS]
        total = sum(scores)
        mark = 5 if total >= 5 else 4 if total >= 4 else 3 if total >= 2 else 2
        rows.append(ParticipantResult(version=version, procedure=procedure, school=school, participant_code=f"{seed}{n:03d}",
                                      class_name="4А" if n % 2 else "4Б", sex="м", journal_mark=min(5, mark + rng.choice([0, 0, 1])),
                                      status=ParticipantStatus.PRESENT, primary_score=total, mark=mark, task_scores=scores))
    ParticipantResult.objects.bulk_create(rows)


def analysed_procedure(world) -> Procedure:
    """Cached on the world: 14 pupils in each of А1, А2 and Б1, recomputed."""
    if getattr(world, "analysed", None) is None:
        procedure = make_procedure()
        for seed, (school, skill) in enumerate([(world.school_a1, 0.8), (world.school_a2, 0.5), (world.school_b1, 0.6)], 1):
            add_results(procedure, school, 14, skill=skill, seed=seed)
        procedure_recompute(procedure_id=procedure.pk)
        world.analysed = procedure
    return world.analysed


def stored_statistics(world) -> Procedure:
    """Precomputed rows written directly (no recompute): enough for access checks, and fast."""
    from assessments.stats.models import ObjectivityIndex, ObjectivitySign, StatisticRow

    if getattr(world, "stored", None) is None:
        procedure = make_procedure()
        data = {"pct_2": 10.0, "pct_3": 30.0, "pct_4": 40.0, "pct_5": 20.0, "success_pct": 90.0, "quality_pct": 60.0}
        rows = [StatisticRow(procedure=procedure, form="marks", level="region", participants=42, data=data)]
        rows += [StatisticRow(procedure=procedure, form="marks", level="municipality", municipality=m, participants=14,
                              data=data) for m in (world.mun_a, world.mun_b)]
        rows += [StatisticRow(procedure=procedure, form="marks", level="school", municipality=s.municipality, school=s,
                              participants=14, data=data) for s in (world.school_a1, world.school_a2, world.school_b1)]
        StatisticRow.objects.bulk_create(rows)
        ObjectivitySign.objects.bulk_create([
            ObjectivitySign(year=2021, procedure=procedure, school=s, criterion="official_mean_ci", version=1, value=1.0,
                            threshold=0.5, sample_size=14, evaluated=True, flagged=True, explanation="Пояснение")
            for s in (world.school_a1, world.school_a2, world.school_b1)])
        ObjectivityIndex.objects.create(year=2021, procedure=procedure, evaluated_schools=3, schools_with_signs=3, index=0)
        world.stored = procedure
    return world.stored
