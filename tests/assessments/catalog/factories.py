"""Factories and small builders for the catalog tests."""
import io

import factory
from openpyxl import Workbook

from assessments.models import Procedure, ProcedureKind, Subject, Task

CODIFIER_HEADER = [
    "№ КИМ", "№", "Умения, виды деятельности (в соответствии с ФГОС)",
    "Блоки ПООП НОО: выпускник научится / получит возможность научиться", "Уровень сложности", "Код КЭС",
    "Код КТ", "Максимальный балл за выполнение задания",
]


def kind(code="ВПР") -> ProcedureKind:
    return ProcedureKind.objects.get(code=code)


def subject(code="MA") -> Subject:
    return Subject.objects.get(code=code)


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ["code"]

    kind = factory.LazyFunction(kind)
    subject = factory.LazyFunction(subject)
    year = 2021
    grade = 4
    code = factory.LazyAttribute(lambda o: f"{o.kind.slug}-{o.year}-{o.subject.code}-{o.grade}")
    max_score = 20


def add_tasks(procedure, maxima: dict[str, int]) -> None:
    """Tasks labelled as the keys, in order, with the given maxima."""
    Task.objects.bulk_create(
        Task(procedure=procedure, position=i, label=label, max_score=m) for i, (label, m) in enumerate(maxima.items(), 1)
    )
    procedure.max_score = sum(maxima.values())
    procedure.save()


def xlsx_bytes(rows: list[list], sheet="Лист1") -> bytes:
    workbook = Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
