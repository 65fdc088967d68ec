"""Demo roadmaps: the seed orders when ../shared/seeds exists next to the repository, else a small built-in one.

Also a ШНОР support template with one school's copy, a few reported statuses and one reporting round.
Everything is keyed (by source file and owner, by round date), so building twice changes nothing.
"""
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rsoko.orgs.choices import OrgKind
from rsoko.typography import counted
from rsoko.orgs.models import Organization

from .choices import ExecutionStatus, RoadmapLevel
from .default_aliases import install_default_aliases
from .models import Assignment, Item, Roadmap
from .services import (assignment_set_status, roadmap_copy_for_school, roadmap_import, roadmap_import_preview,
                       roadmaps_mark_overdue, round_create, round_submit)

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
# seed file → (level, owner code)
SEED_DOCUMENTS = {
    "000_7971cff9ff8f48e4.txt": (RoadmapLevel.REGION, "MIN"),
    "002_14bfe9cc178f1ed1.txt": (RoadmapLevel.REGION, "MIN"),
    "003_9730945c631e90e3.txt": (RoadmapLevel.REGION, "MIN"),
    "004_48d9fda6711cc5cc.txt": (RoadmapLevel.MUNICIPALITY, "MOUO-01"),
}

BUILT_IN = """ПРИКАЗ
№ 15-од
12.01.2026
ПЛАН МЕРОПРИЯТИЙ
по развитию региональной системы оценки качества образования на 2026 год

№ п/п\tМероприятие\tСрок\tИсполнители\tОжидаемый результат
1.\tАнализ результатов оценочных процедур\t\t\t
1.1.\tСтатистический анализ результатов ВПР весны 2026 года\tиюнь 2026 г.\tРЦОКО\tСтатистический отчёт
1.2.\tМетодический анализ и рекомендации учителям-предметникам\tавгуст - сентябрь 2026 г.\tИРО, МОУО\tМетодические рекомендации
1.3.\tОбсуждение результатов с руководителями МОУО\tдо 15 октября 2026 года\tМинистерство, МОУО\tПротокол совещания
2.\tОбъективность процедур\t\t\t
2.1.\tОбщественное наблюдение при проведении ВПР\tв соответствии с графиком\tМОУО, ОО\tОтчёты наблюдателей
2.2.\tПерепроверка работ школ с признаками необъективности\tв 3 квартале 2026 года\tРЦОКО, ИРО\tПротокол перепроверки
2.3.\tИнформирование родителей об объективной оценке\tежеквартально\tМОУО, ОО\tПубликации на сайтах
"""

SUPPORT_TEMPLATE = """ДОРОЖНАЯ КАРТА
поддержки школы с низкими образовательными результатами на 2025/2026 учебный год

№\tМероприятие\tСрок\tИсполнители\tОжидаемый результат
1.\tДиагностика\t\t\t
1.1.\tАнализ результатов ВПР и ОГЭ школы по заданиям, выявление предметных дефицитов\tсентябрь 2025\tОО\tПеречень дефицитов
1.2.\tСоставление индивидуальных планов для обучающихся группы риска\tдо 1 октября 2025 года\tОО\tПланы по кодам обучающихся
2.\tПовышение квалификации\t\t\t
2.1.\tКурсы для учителей по выявленным дефицитам\tоктябрь - декабрь 2025 г.\tОО\tУдостоверения
2.2.\tНаставничество школы с высокими результатами\tв течение учебного года\tОО\tСоглашение о сетевом взаимодействии
3.\tМониторинг\t\t\t
3.1.\tМуниципальная проверочная работа по математике\tмарт 2026\tОО\tСравнение с результатами сентября
"""


def import_once(*, name: str, data: bytes, level: str, owner: Organization, stdout, approval="approved") -> Roadmap:
    existing = Roadmap.objects.filter(source_name=name, owner=owner, created_from__isnull=True).first()
    if existing:
        return existing
    roadmap = roadmap_import(preview=roadmap_import_preview(name=name, data=data, level=level, owner=owner),
                             approval=approval)
    items = counted(roadmap.items.count(), "пункт", "пункта", "пунктов")
    stdout.write(f"  {roadmap.get_level_display()} карта «{roadmap.title[:70]}…»: {items}")
    return roadmap


def import_documents(stdout) -> list[Roadmap]:
    if SEEDS.is_dir():
        return [
            import_once(name=name, data=(SEEDS / name).read_bytes(), level=level,
                        owner=Organization.objects.get(code=owner), stdout=stdout)
            for name, (level, owner) in SEED_DOCUMENTS.items() if (SEEDS / name).is_file()
        ]
    return [import_once(name="demo-plan-2026.txt", data=BUILT_IN.encode(), level=RoadmapLevel.REGION,
                        owner=Organization.objects.get(code="MIN"), stdout=stdout)]


def set_once(assignment: Assignment, status: str, comment: str) -> None:
    if assignment.status == ExecutionStatus.NOT_STARTED:
        assignment_set_status(assignment=assignment, status=status, comment=comment, source="демо")


def report_some_statuses(roadmap: Roadmap) -> None:
    """Most municipal offices have done something; a few have not started: a believable mix."""
    assignments = (Assignment.objects.filter(item__roadmap=roadmap, organization__kind=OrgKind.MUNICIPAL_OFFICE)
                   .select_related("organization", "item").order_by("organization__code", "item__position"))
    pattern = [ExecutionStatus.DONE, ExecutionStatus.DONE, ExecutionStatus.IN_PROGRESS, None, ExecutionStatus.DONE,
               ExecutionStatus.IN_PROGRESS, None]
    for assignment in assignments:
        office_number = int(assignment.organization.code.rsplit("-", 1)[-1])
        status = pattern[(assignment.item.position * 3 + office_number * 5) % len(pattern)]
        if office_number > 14 or status is None:
            continue
        set_once(assignment, status, "Мероприятие проведено, информация размещена на сайте"
                 if status == ExecutionStatus.DONE else "Работа ведётся по плану")


def reporting_round(roadmap: Roadmap) -> None:
    year = roadmap.period_first_year or timezone.localdate().year
    as_of, due = date(year, 12, 28), date(year + 1, 1, 15)
    existing = roadmap.rounds.filter(as_of=as_of).first()
    rr = existing or round_create(roadmap=roadmap, as_of=as_of, due=due)
    for office in Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, code__in=[f"MOUO-{n:02d}" for n in range(1, 10)]):
        if not rr.submissions.filter(organization=office).exists():
            round_submit(reporting_round=rr, organization=office, actor=None,
                         comment="Отчёт о реализации комплекса мероприятий за отчётный период")


def support_template(stdout) -> None:
    template = import_once(name="shnor-support-template.txt", data=SUPPORT_TEMPLATE.encode(),
                           level=RoadmapLevel.REGION, owner=Organization.objects.get(code="MIN"), stdout=stdout)
    if not template.is_template:
        template.is_template = True
        template.save(update_fields=["is_template"])
    school = Organization.objects.filter(kind=OrgKind.SCHOOL, code="sch990103").first() or \
        Organization.objects.filter(kind=OrgKind.SCHOOL).order_by("code").first()
    if school and not Roadmap.objects.filter(created_from=template, owner=school).exists():
        copy = roadmap_copy_for_school(template=template, school=school)
        first = copy.items.filter(is_section=False).order_by("position").first()
        set_once(first.assignments.get(), ExecutionStatus.DONE, "Дефициты выявлены: математика, задания 6, 9, 12")


def link_levels(documents: list[Roadmap]) -> None:
    """The municipal ШНОР roadmap item implements the regional one (a roll-up across levels)."""
    municipal = Item.objects.filter(roadmap__in=documents, roadmap__level=RoadmapLevel.MUNICIPALITY,
                                    measure__icontains="помощи ШНОР").first()
    regional = Item.objects.filter(roadmap__in=documents, roadmap__level=RoadmapLevel.REGION,
                                   measure__icontains="низкие образовательные результаты").first()
    if municipal and regional and municipal.implements_id is None:
        municipal.implements = regional
        municipal.save(update_fields=["implements"])


@transaction.atomic
def build(stdout) -> None:
    install_default_aliases()
    documents = import_documents(stdout)
    support_template(stdout)
    link_levels(documents)
    regional = [d for d in documents if d.level == RoadmapLevel.REGION]
    main = max(regional, key=lambda d: d.period_first_year or 0)
    report_some_statuses(main)
    reporting_round(main)
    roadmaps_mark_overdue(today=timezone.localdate())
    stdout.write(summary_line())


def summary_line() -> str:
    """Documents, measures and how many of them are overdue today: a measure counts once however many of its
    executors are late (the executors' count follows in brackets)."""
    measures = Item.objects.filter(is_section=False, roadmap__is_template=False)
    late = Assignment.objects.filter(status=ExecutionStatus.OVERDUE, item__in=measures)
    late_measures, late_assignments = late.values("item").distinct().count(), late.count()
    documents = Roadmap.objects.filter(is_template=False).count()
    text = (f"  Дорожные карты: {counted(documents, 'документ', 'документа', 'документов')}, "
            f"{counted(measures.count(), 'мероприятие', 'мероприятия', 'мероприятий')}; просрочено на сегодня: "
            f"{late_measures} из {measures.count()}")
    if late_assignments > late_measures:
        text += f" ({counted(late_assignments, 'исполнитель', 'исполнителя', 'исполнителей')} не отчитались в срок)"
    return text + "."
