"""Puts a synthetic region (assessments.synthetic) into the database: demo data, tests and benchmarks.

Synthetic schools are mapped onto real registry schools; each synthetic procedure becomes a ВПР
procedure with its tasks, its scale, one result version per school and one row per participant.
"""
from django.db import transaction

from assessments.choices import ParticipantStatus, ProcedureStatus, UploadFormat, UploadMode
from assessments.models import (ParticipantResult, Procedure, ProcedureKind, ResultBatch, ResultVersion, Scale,
                                Subject, Task)
from assessments.synthetic import SyntheticProcedure


def synthetic_procedure_code(sp: SyntheticProcedure) -> str:
    return f"VPR-{sp.year}-{sp.subject}-{sp.grade}"


def ensure_procedure(sp: SyntheticProcedure) -> Procedure:
    procedure, _ = Procedure.objects.get_or_create(
        code=synthetic_procedure_code(sp),
        defaults={
            "kind": ProcedureKind.objects.get(slug="VPR"), "year": sp.year, "grade": sp.grade,
            "subject": Subject.objects.get(code=sp.subject), "max_score": sp.max_score,
            "status": ProcedureStatus.LOADED,
        },
    )
    if not procedure.tasks.exists():
        Task.objects.bulk_create([
            Task(procedure=procedure, position=int(t.position), label=str(t.label), max_score=int(t.max_score),
                 level=t.level, skill=t.skill, block=t.block)
            for t in sp.tasks.itertuples()
        ])
    Scale.objects.update_or_create(procedure=procedure, defaults={"boundaries": sp.boundaries})
    return procedure


@transaction.atomic
def store_synthetic_procedure(sp: SyntheticProcedure, schools: dict, *, user=None) -> Procedure:
    """Replaces the procedure's results with the synthetic ones; `schools` maps synthetic ids to schools."""
    procedure = ensure_procedure(sp)
    ResultBatch.objects.filter(procedure=procedure).delete()
    batch = ResultBatch.objects.create(procedure=procedure, uploaded_by=user, filename="synthetic",
                                       format=UploadFormat.EXPORT, mode=UploadMode.STRICT, rows=len(sp.results))
    frame = sp.results.reset_index(drop=True)
    counts = frame["school_id"].value_counts()
    versions = {
        school_id: ResultVersion(batch=batch, procedure=procedure, school=schools[school_id], number=1,
                                 participants=int(count))
        for school_id, count in counts.items() if school_id in schools
    }
    ResultVersion.objects.bulk_create(versions.values())
    rows = []
    for position, row in enumerate(frame.itertuples(index=False)):
        version = versions.get(row.school_id)
        if version is None:
            continue
        rows.append(ParticipantResult(
            version=version, procedure=procedure, school_id=version.school_id, participant_code=row.participant_code,
            class_name=row.class_name, sex=row.sex, status=ParticipantStatus.PRESENT,
            journal_mark=None if row.journal_mark != row.journal_mark else int(row.journal_mark),
            primary_score=int(row.primary_score), mark=None if row.mark != row.mark else int(row.mark),
            task_scores=sp.task_scores[position].tolist(),
        ))
    ParticipantResult.objects.bulk_create(rows, batch_size=5000)
    batch.stored = len(rows)
    batch.save(update_fields=["stored"])
    return procedure
