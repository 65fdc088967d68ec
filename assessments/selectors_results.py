"""Reads for uploads, versions and quarantine: always through visible_to(user)."""
from rsoko.exports import Column, Table
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization

from .importing import QUARANTINE_COLUMN
from .models import Procedure, QuarantinedRow, ResultBatch, ResultVersion


def batches_for(user):
    return ResultBatch.objects.visible_to(user).select_related("procedure", "uploaded_by", "job")


def batch_messages_visible(user, batch: ResultBatch) -> bool:
    """Row messages quote other schools' codes and scores: only the uploader and region-wide roles read them."""
    own = batch.uploaded_by_id is not None and batch.uploaded_by_id == user.id
    return own or scope_for(user, "results.view").region_wide


def batch_versions(user, batch: ResultBatch):
    return ResultVersion.objects.visible_to(user).filter(batch=batch).select_related("school").order_by("school__short_name")


def open_quarantine(user):
    return (QuarantinedRow.objects.visible_to(user).filter(resolved=False)
            .select_related("batch", "procedure", "school").order_by("-batch__created_at", "row_number"))


def version_history(user, procedure: Procedure, school: Organization):
    return (ResultVersion.objects.visible_to(user).filter(procedure=procedure, school=school)
            .select_related("batch__uploaded_by").order_by("-number"))


def quarantine_download_table(rows, filename: str) -> Table:
    """The quarantined rows with their original columns and a «Причина ошибки» column last, to fix and upload back.

    Cells go through the portal's formula rule like every export (a cell «=1+1» is written «'=1+1»), so opening
    the file cannot run anything. The apostrophe does not end up in the results: a file carrying the
    «Причина ошибки» column is read as fixed quarantine rows, and that reading removes it again
    (assessments.importing.layouts.recognise → rsoko.exports.unneutralise).
    """
    rows = list(rows)
    header = list(rows[0].batch.columns) if rows else []
    for row in rows:  # batches stored before `columns` existed: whatever order the cells come in
        header += [name for name in row.cells if name not in header]
    columns = [Column(f"c{i}", name, width=max(10, min(30, len(name) + 2))) for i, name in enumerate(header)]
    columns.append(Column("reason", QUARANTINE_COLUMN, width=80))
    values = [{**{f"c{i}": row.cells.get(name, "") for i, name in enumerate(header)}, "reason": "; ".join(row.reasons)}
              for row in rows]
    return Table("Карантин", columns, values, filename=filename)


def batch_table(batches):
    """The uploads page as a table for the xlsx/CSV export (no pupil data: counts only)."""
    columns = [Column("created_at", "Когда", "date", 18), Column("procedure", "Процедура", width=20),
               Column("filename", "Файл", width=40), Column("format", "Формат", width=16), Column("rows", "Строк", "int", 9),
               Column("stored", "Сохранено", "int", 11), Column("absent", "Отсутств.", "int", 10),
               Column("quarantined", "Карантин", "int", 10), Column("uploaded_by", "Кто", width=18)]
    rows = ({"created_at": b.created_at, "procedure": b.procedure.code, "filename": b.filename,
             "format": b.get_format_display(), "rows": b.rows, "stored": b.stored, "absent": b.absent,
             "quarantined": b.quarantined, "uploaded_by": str(b.uploaded_by) if b.uploaded_by else "система"}
            for b in batches)
    return Table("Загрузки результатов", columns, rows, filename="zagruzki")


def changes_text(changes: dict) -> str:
    """The «Изменения» cell: counts against the previous version, as the page's badges say (codes stay on the page)."""
    if not changes.get("previous"):
        text = "первая загрузка"
    else:
        text = (f"к версии {changes['previous']}: добавлено {changes.get('added', 0)}, удалено {changes.get('removed', 0)}, "
                f"изменено {changes.get('changed', 0)}")
    return text + ("; исправления добавлены" if changes.get("mode") == "merge" else "")


def batch_version_table(batch: ResultBatch, versions) -> Table:
    """The schools of one upload (the batch page's table), scoped like the page."""
    columns = [Column("school", "Школа", width=40), Column("code", "Код ОО", width=14),
               Column("number", "Версия", "int", 8),
               Column("active", "Действует", width=10), Column("participants", "Участников", "int", 11),
               Column("absent", "Отсутств.", "int", 10), Column("changes", "Изменения", width=50)]
    rows = ({"school": v.school.short_name, "code": v.school.code, "number": v.number,
             "active": "да" if v.is_active else "заменена", "participants": v.participants, "absent": v.absent,
             "changes": changes_text(v.changes)} for v in versions)
    return Table(f"Загрузка {batch.procedure.code}", columns, rows, filename=f"zagruzka-{batch.pk}")


def quarantine_table(rows, title: str = "Карантин результатов") -> Table:
    """Quarantined rows with their reasons: participant codes are pupil-level data, so the export is logged."""
    columns = [Column("batch", "Загрузка", width=40), Column("row", "Строка", "int", 8),
               Column("school", "Школа", width=36),
               Column("participant", "Код участника", width=16), Column("reasons", "Причины", width=80)]
    values = ({"batch": f"{r.procedure.code} · {r.batch.filename}", "row": r.row_number,
               "school": r.school.short_name if r.school else "не найдена", "participant": r.participant_code,
               "reasons": "; ".join(r.reasons)} for r in rows.iterator(chunk_size=2000))
    return Table(title, columns, values, filename="karantin", personal_data=True)


def version_history_table(procedure: Procedure, school: Organization, versions) -> Table:
    columns = [Column("number", "Версия", "int", 8), Column("created_at", "Загружена", "date", 18),
               Column("uploaded_by", "Кто", width=20), Column("filename", "Файл", width=40),
               Column("active", "Действует", width=10), Column("participants", "Участников", "int", 11),
               Column("absent", "Отсутств.", "int", 10), Column("changes", "Что изменилось", width=50)]
    rows = ({"number": v.number, "created_at": v.created_at, "uploaded_by": str(v.batch.uploaded_by or "система"),
             "filename": v.batch.filename, "active": "действует" if v.is_active else "заменена",
             "participants": v.participants, "absent": v.absent, "changes": changes_text(v.changes)} for v in versions)
    return Table(f"Версии {procedure.code} {school.code}", columns, rows,
                 filename=f"versii-{procedure.code}-{school.code}")
