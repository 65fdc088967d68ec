"""Data the public tests share: procedures in the calendar and one finished procedure with pupil rows
whose codes must never appear in any public answer."""
from datetime import date

from assessments.choices import ProcedureStatus
from assessments.models import ParticipantResult, ResultBatch, ResultVersion
from tests.kimbank.factories import make_procedure

SECRET_CODES = [f"PUPIL-SECRET-{n:04d}" for n in range(12)]


def finished_procedure(world):
    procedure = make_procedure("VPR-2026-MA-4", kind_code="ВПР", day=date(2026, 3, 18), grade=4,
                               status=ProcedureStatus.LOADED, schools=[world.school_a1])
    if not procedure.results.exists():
        batch = ResultBatch.objects.create(procedure=procedure, filename="protocol.xlsx", format="protocol", mode="strict")
        version = ResultVersion.objects.create(batch=batch, procedure=procedure, school=world.school_a1, number=1,
                                               participants=len(SECRET_CODES))
        ParticipantResult.objects.bulk_create(
            ParticipantResult(version=version, procedure=procedure, school=world.school_a1, participant_code=code,
                              class_name="4А", sex="м", journal_mark=4, variant="1", primary_score=15, mark=5,
                              task_scores=[1, 2, 1])
            for code in SECRET_CODES
        )
    return procedure


def calendar_procedures(world):
    """A regional РПР in April, a municipal МПР in October and the finished ВПР in March (all 2026)."""
    return [
        make_procedure("RPR-2026-MA-6", day=date(2026, 4, 15), schools=[world.school_a1]),
        make_procedure("MPR-2026-RU-5", kind_code="МПР", subject_code="RU", day=date(2026, 10, 7), grade=5),
        finished_procedure(world),
    ]
