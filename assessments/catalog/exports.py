"""The catalog's tables as rsoko.exports tables: the same rows as the pages (scoped and filtered by the views)."""
from rsoko.exports import Column, Table

from ..scales import describe_boundaries


def kind_table(kinds) -> Table:
    columns = [Column("code", "Обозначение", width=12), Column("slug", "Код", width=14),
               Column("name", "Наименование", width=60),
               Column("level", "Уровень", width=16), Column("grading", "Оценивание", width=20),
               Column("procedures", "Экземпляров", "int", 12)]
    rows = ({"code": k.code, "slug": k.slug, "name": k.name, "level": k.get_level_display(),
             "grading": k.get_grading_display(), "procedures": k.procedure_count} for k in kinds)
    return Table("Виды процедур", columns, rows, filename="vidy-procedur")


def reference_scale_table(scales) -> Table:
    columns = [Column("kind", "Вид", width=10), Column("year", "Год", "int", 8), Column("subject", "Предмет", width=24),
               Column("grade", "Класс", "int", 8), Column("mark3", "«3» с", "int", 8),
               Column("mark4", "«4» с", "int", 8),
               Column("mark5", "«5» с", "int", 8), Column("max_score", "Максимум", "int", 10),
               Column("source", "Источник", width=50)]
    rows = ({"kind": r.kind.code, "year": r.year, "subject": r.subject.name, "grade": r.grade,
             "mark3": r.boundaries.get("3"), "mark4": r.boundaries.get("4"), "mark5": r.boundaries.get("5"),
             "max_score": r.max_score, "source": r.source} for r in scales)
    return Table("Эталонные шкалы перевода", columns, rows, filename="etalonnye-shkaly")


def schedule_table(year: int, groups, undated) -> Table:
    """План-график: dated procedures by date, then those without dates (as on the page)."""
    columns = [Column("month", "Месяц", width=16), Column("date_start", "Начало", "date", 12),
               Column("date_end", "Окончание", "date", 12), Column("code", "Код", width=20),
               Column("kind", "Вид", width=10),
               Column("title", "Название", width=40), Column("subject", "Предмет", width=22),
               Column("grade", "Класс", "int", 8),
               Column("level", "Уровень", width=16), Column("organizer", "Организатор", width=30),
               Column("schools", "Школ", "int", 8), Column("status", "Состояние", width=14)]
    dated = [(month, p) for month, items in groups for p in items]
    rows = [schedule_row(month, p) for month, p in dated] + [schedule_row("даты не назначены", p) for p in undated]
    return Table(f"План-график {year - 1}-{year}", columns, rows, filename=f"plan-grafik-{year}")


def schedule_row(month: str, procedure) -> dict:
    return {"month": month, "date_start": procedure.date_start, "date_end": procedure.date_end, "code": procedure.code,
            "kind": procedure.kind.code, "title": procedure.title, "subject": procedure.subject.name,
            "grade": procedure.grade, "level": procedure.kind.get_level_display(),
            "organizer": str(procedure.organizer or ""), "schools": procedure.school_count,
            "status": procedure.get_status_display()}


def participants_table(procedure, participations) -> Table:
    columns = [Column("school", "Школа", width=40), Column("code", "Код", width=14),
               Column("municipality", "Муниципалитет", width=36),
               Column("settlement", "Тип поселения", width=18), Column("control", "Контроль", width=24)]
    rows = ({"school": ps.school.short_name, "code": ps.school.code, "municipality": str(ps.school.municipality or ""),
             "settlement": ps.school.get_settlement_type_display(),
             "control": ps.get_control_display() if ps.control else ""}
            for ps in participations.iterator(chunk_size=2000))
    return Table(f"Участники {procedure.code}", columns, rows, filename=f"uchastniki-{procedure.code}")


def task_table(procedure) -> Table:
    columns = [Column("position", "№", "int", 6), Column("label", "№ в КИМ", width=10),
               Column("max_score", "Макс.", "int", 8),
               Column("level", "Уровень", width=10), Column("skill", "Проверяемое умение", width=60),
               Column("block", "Блок ПООП", width=40), Column("kes", "КЭС", width=20), Column("kt", "КТ", width=20)]
    rows = ({"position": t.position, "label": t.label, "max_score": t.max_score, "level": t.level, "skill": t.skill,
             "block": t.block, "kes": t.kes_codes, "kt": t.kt_codes} for t in procedure.tasks.all())
    return Table(f"Спецификация {procedure.code}", columns, rows, filename=f"specifikaciya-{procedure.code}")


def participation_table(procedure, by_municipality: list[dict]) -> Table:
    columns = [Column("municipality", "Муниципалитет", width=40), Column("total", "Школ-участников", "int", 16),
               Column("controlled", "В контролируемой выборке", "int", 16)]
    rows = [{"municipality": row["school__municipality__name"], "total": row["total"], "controlled": row["controlled"]}
            for row in by_municipality]
    return Table(f"Школы-участники {procedure.code}", columns, rows, filename=f"uchastie-{procedure.code}")


def scale_table(procedure) -> Table:
    """The scale of the card: one row per mark with its primary-score range (empty when no scale is set)."""
    scale = getattr(procedure, "scale", None)
    columns = [Column("mark", "Отметка", width=10), Column("range", "Первичные баллы", width=20)]
    ranges = describe_boundaries(scale.boundaries, procedure.max_score) if scale else []
    rows = [{"mark": f"«{mark}»", "range": text} for mark, text in ranges]
    notes = [f"Источник: {scale.source}"] if scale and scale.source else []
    return Table(f"Шкала {procedure.code}", columns, rows, filename=f"shkala-{procedure.code}", notes=notes)
