"""Demo procedures of the current academic year for the demo region: specifications, scales, schools, dates.

No participant results are made here. A procedure whose code already exists is left as it is, so
building twice changes nothing.
"""
from dataclasses import dataclass, field
from datetime import date
import random

from django.db import transaction
from django.utils import timezone

from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .catalog import selectors, services
from .choices import ControlKind, ProcedureStatus
from .codifier import TaskSpec
from .models import ProcedureKind, Subject
from .scales import ScaleData

CONTROLLED_SHARE = 0.10
DEMO_SOURCE = "демонстрационные данные"
# Real shape of ВПР Математика 4 (ФИС ОКО codifier 2021): label, max, level, checked skill, КЭС, КТ.
VPR_MA4 = [
    ("1", 1, "Б", "Умение выполнять арифметические действия с числами", "2", "2.1"),
    ("2", 1, "Б", "Вычисление значения числового выражения", "2", "2.1"),
    ("3", 2, "Б", "Решение текстовых задач в 1–2 действия", "1, 2, 4", "1, 2.2, 4"),
    ("4", 1, "Б", "Чтение и сравнение величин", "1, 2", "1, 4"),
    ("5.1", 1, "Б", "Вычисление периметра и площади", "3", "3.1, 3.2"),
    ("5.2", 1, "Б", "Построение геометрических фигур", "3", "3.1, 3.2"),
    ("6.1", 1, "Б", "Чтение несложных готовых таблиц", "4", "5"),
    ("6.2", 1, "Б", "Сравнение и обобщение информации из таблиц и диаграмм", "4", "2.1, 5, 6"),
    ("7", 1, "Б", "Письменные действия с многозначными числами", "2", "2.1"),
    ("8", 2, "Б", "Решение задач в 3–4 действия", "1, 2", "1, 2.2, 4"),
    ("9.1", 1, "Б", "Интерпретация информации", "1", "1, 6"),
    ("9.2", 1, "Б", "Интерпретация информации, выводы и прогнозы", "1", "1, 6"),
    ("10", 2, "П", "Сбор и представление информации", "1, 4", "1, 6"),
    ("11", 2, "Б", "Пространственное воображение", "1, 3", "1"),
    ("12", 2, "П", "Логическое мышление: задачи в 3–4 действия", "1, 2, 3", "2.2, 6"),
]
VPR_RU4 = [(str(n), m, "Б" if m < 3 else "П", "") for n, m in
           zip(range(1, 13), [2, 1, 2, 3, 2, 1, 1, 2, 3, 3, 1, 3])]
VPR_MA5 = [(str(n), m, "Б" if n < 10 else "П", "") for n, m in
           zip(range(1, 15), [1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3])]
VPR_RU5 = [(label, m, "Б", "") for label, m in [
    ("1К1", 4), ("1К2", 3), ("1К3", 2), ("2К1", 3), ("2К2", 3), ("2К3", 3), ("2К4", 3), ("3.1", 2), ("3.2", 3),
    ("4", 3), ("5", 3), ("6", 2), ("7.1", 3), ("7.2", 3), ("8", 2), ("9", 3)]]
OGE_MA = [(str(n), 1 if n <= 19 else 2, "Б" if n <= 19 else ("П" if n <= 22 else "В"), "") for n in range(1, 26)]
OGE_GEOMETRY = ["15", "16", "17", "18", "19", "23", "24", "25"]
OGE_RU = [(label, m, "Б", "") for label, m in [
    ("ИК1", 2), ("ИК2", 3), ("ИК3", 2), ("2", 1), ("3", 1), ("4", 1), ("5", 1), ("6", 1), ("7", 1), ("8", 1),
    ("9", 1), ("10", 1), ("11", 1), ("12", 1), ("С1К1", 2), ("С1К2", 3), ("С1К3", 2), ("ГК1", 2), ("ГК2", 2),
    ("ГК3", 2), ("ГК4", 2)]]
EGE_RU = [(str(n), 1, "Б", "") for n in range(1, 27)] + [("27", 24, "В", "Сочинение по тексту")]
EGE_MA = [(str(n), 1, "Б", "") for n in range(1, 13)] + [
    (str(n), m, "П" if n < 17 else "В", "") for n, m in zip(range(13, 20), [2, 3, 2, 2, 3, 4, 4])]
ESSAY = [(f"К{n}", 1, "Б", "") for n in range(1, 6)]
# The МОУО's own КИМ (входная диагностика, 5 класс): its tasks, maxima and the checked skills with КЭС/КПУ codes.
MPR_MA5 = [
    ("1", 1, "Б", "Сравнение и упорядочивание многозначных чисел", "1.1", "1.1"),
    ("2", 1, "Б", "Письменное сложение и вычитание многозначных чисел", "1.2", "1.2"),
    ("3", 1, "Б", "Умножение и деление на однозначное и двузначное число", "1.2", "1.2"),
    ("4", 1, "Б", "Единицы величин: длина, масса, время", "2.1", "2.1"),
    ("5", 2, "Б", "Периметр и площадь прямоугольника", "3.2", "3.1"),
    ("6", 2, "Б", "Текстовая задача на движение в 2–3 действия", "1.3", "4.1"),
    ("7", 1, "Б", "Чтение таблицы и столбчатой диаграммы", "4.1", "5.1"),
    ("8", 2, "П", "Задача на части и доли", "1.3", "4.2"),
    ("9", 2, "П", "Логическая задача: перебор вариантов", "4.2", "6.1"),
]


def generic_tasks(count: int, two_point_from: int) -> list[tuple]:
    return [(str(n), 1 if n < two_point_from else 2, "Б" if n < two_point_from else "П", "") for n in range(1, count + 1)]


@dataclass
class DemoProcedure:
    kind: str
    subject: str
    grade: int | None
    month: int
    day: int
    tasks: list
    title: str = ""
    organizer: str = "RCOKO"
    variants: list = field(default_factory=lambda: ["1", "2"])
    municipal_only: bool = False  # МПР: the organizer's municipality only


PROCEDURES = [
    DemoProcedure("ИС", "RU", 11, 12, 2, ESSAY, "Итоговое сочинение", variants=[]),
    DemoProcedure("РПР", "MA", 7, 2, 10, generic_tasks(12, 11), "Региональная проверочная работа по математике"),
    DemoProcedure("МПР", "MA", 5, 10, 14, MPR_MA5, "Входная муниципальная диагностика по математике, 5 класс",
                  organizer="MOUO-01", municipal_only=True),
    DemoProcedure("ВПР", "RU", 4, 4, 7, VPR_RU4),
    DemoProcedure("ВПР", "MA", 4, 4, 9, VPR_MA4),
    DemoProcedure("ВПР", "RU", 5, 4, 14, VPR_RU5),
    DemoProcedure("ВПР", "MA", 5, 4, 16, VPR_MA5),
    DemoProcedure("ВПР", "RU", 6, 4, 15, generic_tasks(14, 11)),
    DemoProcedure("ВПР", "MA", 6, 4, 17, generic_tasks(13, 10)),
    DemoProcedure("ВПР", "BI", 6, 4, 22, generic_tasks(10, 8)),
    DemoProcedure("ВПР", "HIST", 6, 4, 23, generic_tasks(8, 6)),
    DemoProcedure("ВПР", "RU", 7, 4, 21, generic_tasks(14, 11)),
    DemoProcedure("ВПР", "MA", 7, 4, 16, generic_tasks(16, 13)),
    DemoProcedure("ВПР", "GEO", 7, 4, 24, generic_tasks(10, 8)),
    DemoProcedure("ВПР", "PHYS", 7, 4, 25, generic_tasks(11, 9)),
    DemoProcedure("ВПР", "RU", 8, 4, 22, generic_tasks(14, 11)),
    DemoProcedure("ВПР", "MA", 8, 4, 18, generic_tasks(19, 15)),
    DemoProcedure("ВПР", "CHEM", 8, 4, 23, generic_tasks(9, 7)),
    DemoProcedure("ВПР", "OBSH", 8, 4, 24, generic_tasks(10, 8)),
    DemoProcedure("ОГЭ", "RU", 9, 5, 27, OGE_RU, variants=[]),
    DemoProcedure("ОГЭ", "MA", 9, 6, 2, OGE_MA, variants=[]),
    DemoProcedure("ЕГЭ", "RU", 11, 5, 28, EGE_RU, variants=[]),
    DemoProcedure("ЕГЭ", "MA", 11, 6, 1, EGE_MA, "Математика (профильный уровень)", variants=[]),
]


def demo_scale(spec: DemoProcedure, max_score: int) -> ScaleData:
    """A plausible scale where no reference scale exists (clearly marked as demo in its source)."""
    if spec.kind == "ИС":
        return ScaleData(pass_score=3)
    if spec.kind == "ЕГЭ":
        table = [round(100 * (p / max_score) ** 0.8) for p in range(max_score + 1)]
        return ScaleData(test_scores=table, minimum_test_score=24 if spec.subject == "RU" else 27)
    boundaries = {"3": round(max_score * .3) or 1, "4": round(max_score * .55), "5": round(max_score * .8)}
    if spec.kind == "ОГЭ" and spec.subject == "MA":
        return ScaleData({"3": 8, "4": 15, "5": 22}, [{"marks": ["3", "4", "5"], "tasks": OGE_GEOMETRY, "min_points": 2}])
    return ScaleData(boundaries)


def participants(spec: DemoProcedure, organizer: Organization):
    level = "level_noo" if spec.grade and spec.grade <= 4 else "level_soo" if spec.grade and spec.grade >= 10 else "level_ooo"
    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, is_active=True, **{level: True}).order_by("code")
    if spec.municipal_only:
        schools = schools.filter(municipality=organizer.municipality)
    return list(schools)


def add_participants(procedure, spec: DemoProcedure, organizer) -> None:
    schools = participants(spec, organizer)
    rng = random.Random(procedure.code)
    controlled = rng.sample(schools, round(len(schools) * CONTROLLED_SHARE)) if schools else []
    services.procedure_schools_add(actor=None, procedure=procedure, schools=schools, source=DEMO_SOURCE)
    for kind in (ControlKind.OBSERVERS, ControlKind.INDEPENDENT_CHECK):
        chosen = [s.id for i, s in enumerate(controlled) if (i % 3 == 2) == (kind == ControlKind.INDEPENDENT_CHECK)]
        services.procedure_control_set(actor=None, procedure=procedure, school_ids=chosen, control=kind, source=DEMO_SOURCE)


def spec_tasks(rows) -> list[TaskSpec]:
    """Rows are (label, max, level, skill[, КЭС, КТ])."""
    return [TaskSpec(i, row[0], row[1], row[2], row[3], "", *row[4:6]) for i, row in enumerate(rows, start=1)]


def build_one(spec: DemoProcedure, year: int, today: date) -> bool:
    kind, subject = ProcedureKind.objects.get(code=spec.kind), Subject.objects.get(code=spec.subject)
    code = "-".join(str(p) for p in (kind.slug, year, subject.code, spec.grade) if p is not None)
    if services.Procedure.objects.filter(code=code).exists():
        return False
    organizer = Organization.objects.filter(code=spec.organizer).first()
    held = date(year - 1 if spec.month >= 9 else year, spec.month, spec.day)
    with transaction.atomic():
        procedure = services.procedure_create(
            actor=None, kind=kind, year=year, subject=subject, grade=spec.grade, code=code, title=spec.title,
            date_start=held, date_end=held, organizer=organizer, variants=spec.variants,
            status=ProcedureStatus.CONDUCTED if held < today else ProcedureStatus.PLANNED, source=DEMO_SOURCE,
        )
        services.procedure_tasks_replace(actor=None, procedure=procedure, specs=spec_tasks(spec.tasks), source=DEMO_SOURCE)
        procedure.refresh_from_db()
        reference = selectors.reference_scale_for(procedure)
        if reference is not None and reference.max_score == procedure.max_score:
            services.scale_apply_reference(actor=None, procedure=procedure, reference=reference, source=DEMO_SOURCE)
        else:
            services.scale_set(actor=None, procedure=procedure, data=demo_scale(spec, procedure.max_score),
                               source_text=f"Демонстрационная шкала ({DEMO_SOURCE})", source=DEMO_SOURCE)
        add_participants(procedure, spec, organizer)
    return True


def build(stdout) -> None:
    today = timezone.localdate()
    year = selectors.current_academic_year(today)
    created = sum(build_one(spec, year, today) for spec in PROCEDURES)
    stdout.write(f"  процедуры {year - 1}/{year} учебного года: создано {created}, уже были {len(PROCEDURES) - created}")
