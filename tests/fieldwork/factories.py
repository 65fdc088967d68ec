"""Factories for the fieldwork tests: a procedure with tasks and a scale, results of schools, experts."""
import factory

from assessments.choices import UploadFormat, UploadMode
from assessments.fieldwork.models import Expert
from assessments.models import (ParticipantResult, Procedure, ProcedureKind, ProcedureSchool, ResultBatch,
                                ResultVersion, Scale, Subject, Task)
from assessments.fieldwork.scoring import mark_for

BOUNDARIES = {"3": 6, "4": 10, "5": 15}
TASK_MAX = [4, 4, 4, 4, 4]


def procedure(code="VPR-2025-MA-4", year=2025, subject="MA", grade=4) -> Procedure:
    proc, created = Procedure.objects.get_or_create(code=code, defaults={
        "kind": ProcedureKind.objects.get(code="ВПР"), "year": year, "subject": Subject.objects.get(code=subject),
        "grade": grade, "title": f"ВПР {year}, математика, {grade} класс", "max_score": sum(TASK_MAX)})
    if created:
        for position, maximum in enumerate(TASK_MAX, start=1):
            Task.objects.create(procedure=proc, position=position, label=str(position), max_score=maximum)
        Scale.objects.create(procedure=proc, boundaries=BOUNDARIES)
    return proc


def school_results(proc: Procedure, school, score_lists, *, prefix=None, control="") -> list[ParticipantResult]:
    """One active version of a school's results: ResultBatch → ResultVersion → ParticipantResult."""
    ProcedureSchool.objects.update_or_create(procedure=proc, school=school, defaults={"control": control})
    batch = ResultBatch.objects.create(procedure=proc, filename="test.xlsx", format=UploadFormat.TEMPLATE,
                                       mode=UploadMode.STRICT, rows=len(score_lists), stored=len(score_lists))
    version = ResultVersion.objects.create(batch=batch, procedure=proc, school=school, number=1,
                                           participants=len(score_lists))
    prefix = prefix or school.code
    rows = [
        ParticipantResult(version=version, procedure=proc, school=school, participant_code=f"{prefix}-{i:03d}",
                          task_scores=list(scores), primary_score=sum(scores),
                          mark=mark_for(sum(scores), BOUNDARIES), journal_mark=4)
        for i, scores in enumerate(score_lists, start=1)
    ]
    return ParticipantResult.objects.bulk_create(rows)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"EXP-{n:04d}")
    full_name = factory.Sequence(lambda n: f"Эксперт Тестовый {n}")
    phone = factory.Sequence(lambda n: f"+7 900 000-{n:04d}")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")

    @factory.post_generation
    def subjects(obj, create, extracted, **kwargs):
        if create:
            obj.subjects.set(extracted or [Subject.objects.get(code="MA")])
