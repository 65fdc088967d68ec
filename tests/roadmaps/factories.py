"""Roadmap fixtures built from `world` through the real import path (a small tab-separated document)."""
from datetime import date
from types import SimpleNamespace

from roadmaps.default_aliases import install_default_aliases
from roadmaps.models import Assignment, ExecutorAlias, Roadmap
from roadmaps.services import roadmap_copy_for_school, roadmap_import, roadmap_import_preview, round_create

REGIONAL_TSV = (
    "ДОРОЖНАЯ КАРТА\n"
    "по повышению объективности оценочных процедур на 2025/2026 учебный год\n\n"
    "№ п/п\tМероприятие\tСрок\tОтветственные исполнители\tОжидаемый результат\n"
    "1.\tОрганизационные меры\t\t\t\n"
    "1.1.\tСтатистический анализ результатов ВПР\tдо 15 октября 2025 года\tРЦОКО\tАналитическая справка\n"
    "1.2.\tСовещание с руководителями МОУО\tноябрь 2025\tМинистерство, МОУО\tПротокол\n"
    "1.3.\tКонтроль объективности в ОО\tв течение учебного года\tМОУО, ОО\t\n"
    "2.\tПодготовка кадров\t\t\t\n"
    "2.1.\tКурсы для экспертов ВПР\tкогда-нибудь\tНеизвестный центр, И.И. Иванов\t\n"
)
MUNICIPAL_TSV = (
    "ДОРОЖНАЯ КАРТА муниципалитета на 2025/2026 учебный год\n\n"
    "№\tМероприятия\tСроки\tОтветственные\n"
    "1.\tМуниципальный анализ ВПР\tоктябрь 2025\tУправление образования\n"
)


def import_text(text: str, *, level: str, owner, name: str = "roadmap.txt") -> Roadmap:
    preview = roadmap_import_preview(name=name, data=text.encode("utf-8"), level=level, owner=owner)
    return roadmap_import(preview=preview)


def roadmap_world(w) -> SimpleNamespace:
    """A regional roadmap, a municipal one per municipality, a school one, a template and a round (cached on w)."""
    if getattr(w, "rm", None):
        return w.rm
    install_default_aliases()  # a transactional test earlier in the session may have flushed the migration's rows
    regional = import_text(REGIONAL_TSV, level="region", owner=w.ministry_org)
    municipal_a = import_text(MUNICIPAL_TSV, level="municipality", owner=w.mouo_a)
    municipal_b = import_text(MUNICIPAL_TSV, level="municipality", owner=w.mouo_b)
    template = import_text(MUNICIPAL_TSV.replace("Управление образования", "ОО"), level="region", owner=w.ministry_org)
    Roadmap.objects.filter(pk=template.pk).update(is_template=True)
    school = roadmap_copy_for_school(template=Roadmap.objects.get(pk=template.pk), school=w.school_a1)
    w.rm = SimpleNamespace(
        regional=regional, municipal_a=municipal_a, municipal_b=municipal_b, template=template, school=school,
        item_centre=regional.items.get(number="1.1."),
        item_mouo=regional.items.get(number="1.2."),
        assignment_a=Assignment.objects.get(item__roadmap=regional, item__number="1.2.", organization=w.mouo_a),
        assignment_b=Assignment.objects.get(item__roadmap=regional, item__number="1.2.", organization=w.mouo_b),
        round=round_create(roadmap=regional, as_of=date(2025, 12, 28), due=date(2026, 1, 15)),
        alias=ExecutorAlias.objects.get(phrase="МОУО"),
    )
    return w.rm
