"""Puts a synthetic region (assessments.synthetic) into the database: demo data, tests and benchmarks.

Synthetic schools are mapped onto real registry schools; each synthetic procedure becomes a ВПР
procedure with its tasks, its scale, one result version per school and one row per participant.
"""
import pandas as pd
from django.db import transaction

from assessments.choices import ParticipantStatus, ProcedureStatus, UploadFormat, UploadMode
from assessments.models import Procedure, ProcedureKind, ResultBatch, ResultVersion, Scale, Subject, Task
from assessments.services import store_participants
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
    if not all(v.id for v in versions.values()):  # databases that cannot return ids from a bulk insert
        ids = dict(ResultVersion.objects.filter(batch=batch).values_list("school_id", "id"))
        for version in versions.values():
            version.id = ids[version.school_id]
    frame = frame[frame["school_id"].isin(list(versions))]
    rows = participant_frame(frame, sp.task_scores[frame.index.to_numpy()], versions, procedure)
    store_participants(rows)
    batch.stored = len(rows)
    batch.save(update_fields=["stored"])
    return procedure


def participant_frame(frame, task_scores, versions: dict, procedure) -> pd.DataFrame:
    """The synthetic participants in the column layout of the upload pipeline's bulk storage (COPY)."""
    version_ids = {school_id: v.id for school_id, v in versions.items()}
    school_ids = {school_id: v.school_id for school_id, v in versions.items()}
    return pd.DataFrame({
        "version_id": frame["school_id"].map(version_ids).astype("int64").to_numpy(),
        "procedure_id": procedure.id,
        "school_id": frame["school_id"].map(school_ids).astype("int64").to_numpy(),
        "participant_code": frame["participant_code"].astype(str).to_numpy(),
        "class_name": frame["class_name"].astype(str).to_numpy(),
        "sex": frame["sex"].astype(str).to_numpy(),
        "journal_mark": pd.array(frame["journal_mark"].round().to_numpy(), dtype="Int64"),
        "variant": "1",
        "status": ParticipantStatus.PRESENT.value,
        "primary_score": pd.array(frame["primary_score"].round().to_numpy(), dtype="Int64"),
        "mark": pd.array(frame["mark"].round().to_numpy(), dtype="Int64"),
        "test_score": pd.array([pd.NA] * len(frame), dtype="Int64"),
        "passed": pd.array([pd.NA] * len(frame), dtype="boolean"),
        "task_scores": ["[" + ",".join(map(str, row)) + "]" for row in task_scores.tolist()],
        "not_attempted": "[]",
    })
