"""The roadmap pages as rsoko.exports tables: the same rows as the page, one formula rule, streamed xlsx or CSV."""
from rsoko.exports import Column, Table

from .choices import ExecutionStatus


def document_table(roadmap, rows) -> Table:
    """The document laid out like its source table, with statuses; the title and order go below the rows."""
    columns = [Column("number", "№", width=8), Column("measure", "Мероприятие", width=70),
               Column("deadline_text", "Срок (как в документе)", width=24),
               Column("deadline_kind", "Вид срока", width=16),
               Column("start", "Начало", "date", 12), Column("end", "Срок исполнения", "date", 14),
               Column("executors", "Ответственные исполнители", width=40),
               Column("expected", "Ожидаемый результат", width=40), Column("status", "Статус", width=14),
               Column("by_organization", "Исполнение по организациям", width=50)]
    values = ({"number": row.item.number, "measure": row.item.measure, "deadline_text": row.item.deadline_text,
               "deadline_kind": row.item.get_deadline_kind_display(), "start": row.item.deadline_start,
               "end": row.item.deadline_end, "executors": row.item.executors_text,
               "expected": row.item.expected_result, "status": ExecutionStatus(row.status).label,
               "by_organization": "; ".join(f"{a.organization.short_name}: {a.get_status_display()}"
                                            for a in row.assignments)}
              for row in rows)
    notes = [roadmap.title, f"{roadmap.legal_basis}; период: {roadmap.period_display}; владелец: {roadmap.owner}"]
    return Table("Дорожная карта", columns, values, filename=f"roadmap-{roadmap.pk}", notes=notes)


def roadmap_list_table(roadmaps) -> Table:
    columns = [Column("title", "Документ", width=70), Column("template", "Шаблон", width=8),
               Column("level", "Уровень", width=14), Column("owner", "Владелец", width=36),
               Column("basis", "Основание", width=28), Column("period", "Период", width=16),
               Column("items", "Мероприятий", "int", 12), Column("approval", "Статус", width=16)]
    rows = ({"title": r.title, "template": "да" if r.is_template else "", "level": r.get_level_display(),
             "owner": r.owner.short_name, "basis": r.legal_basis, "period": r.period_display, "items": r.item_count,
             "approval": r.get_approval_display()} for r in roadmaps)
    return Table("Дорожные карты", columns, rows, filename="dorozhnye-karty")


def my_items_table(assignments) -> Table:
    columns = [Column("roadmap", "Дорожная карта", width=50), Column("number", "№", width=8),
               Column("measure", "Мероприятие", width=70), Column("deadline", "Срок", width=24),
               Column("end", "Срок исполнения", "date", 14), Column("organization", "Исполнитель", width=30),
               Column("status", "Статус", width=14), Column("updated", "Обновлено", "date", 18),
               Column("comment", "Комментарий", width=50)]
    rows = ({"roadmap": a.item.roadmap.title, "number": a.item.number, "measure": a.item.measure,
             "deadline": a.item.deadline_text, "end": a.item.deadline_end, "organization": a.organization.short_name,
             "status": a.get_status_display(), "updated": a.updated_at, "comment": a.comment}
            for a in assignments.iterator(chunk_size=2000))
    return Table("Мои пункты дорожных карт", columns, rows, filename="moi-punkty")


def round_table(reporting_round, data) -> Table:
    """The consolidated matrix: one row per item, one column per municipal office (its status there)."""
    columns = [Column("number", "№", width=8), Column("measure", "Мероприятие", width=60)]
    columns += [Column(f"office_{office.pk}", office.column_label, width=14) for office in data.offices]
    rows = []
    for item, cells in data.rows:
        row = {"number": item.number, "measure": item.measure}
        row.update({f"office_{office.pk}": assignment.get_status_display() if assignment else ""
                    for office, assignment in zip(data.offices, cells)})
        rows.append(row)
    submitted = ", ".join(o.column_label for o in data.offices if o.pk in data.submitted) or "никто"
    missing = ", ".join(o.column_label for o in data.missing) or "нет"
    notes = [reporting_round.title, f"Отчитались: {submitted}", f"Не отчитались: {missing}"]
    return Table("Сводный отчёт муниципалитетов", columns, rows, filename=f"otchet-{reporting_round.pk}", notes=notes)


def alias_table(aliases) -> Table:
    columns = [Column("phrase", "Как пишут", width=30), Column("suffix", "Окончание слова", width=10),
               Column("meaning", "Означает", width=50), Column("note", "Примечание", width=50)]
    rows = ({"phrase": a.phrase, "suffix": "да" if a.as_suffix else "", "meaning": a.meaning, "note": a.note}
            for a in aliases)
    return Table("Сокращения исполнителей", columns, rows, filename="sokrashcheniya-ispolniteley")
