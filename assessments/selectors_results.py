"""Reads for uploads, versions and quarantine: always through visible_to(user)."""
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Organization

from .importing import QUARANTINE_COLUMN
from .models import Procedure, QuarantinedRow, ResultBatch, ResultVersion


def batches_for(user):
    return ResultBatch.objects.visible_to(user).select_related("procedure", "uploaded_by", "job")


def batch_messages_visible(user, batch: ResultBatch) -> bool:
    """Row messages quote other schools' codes and scores: only the uploader and region-wide roles read them."""
    return scope_for(user).region_wide or (batch.uploaded_by_id is not None and batch.uploaded_by_id == user.id)


def batch_versions(user, batch: ResultBatch):
    return ResultVersion.objects.visible_to(user).filter(batch=batch).select_related("school").order_by("school__short_name")


def open_quarantine(user):
    return (QuarantinedRow.objects.visible_to(user).filter(resolved=False)
            .select_related("batch", "procedure", "school").order_by("-batch__created_at", "row_number"))


def version_history(user, procedure: Procedure, school: Organization):
    return (ResultVersion.objects.visible_to(user).filter(procedure=procedure, school=school)
            .select_related("batch__uploaded_by").order_by("-number"))


def quarantine_workbook(rows) -> bytes:
    """The quarantined rows with their original columns and a «Причина ошибки» column first.

    Uploading this file back (after fixing the cells) merges the rows into the schools' results.
    """
    rows = list(rows)
    header = list(rows[0].batch.columns) if rows else []
    for row in rows:  # batches stored before `columns` existed: whatever order the cells come in
        header += [name for name in row.cells if name not in header]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Карантин")
    bold = Font(bold=True)
    cells = [WriteOnlyCell(sheet, value=name) for name in header + [QUARANTINE_COLUMN]]
    for cell in cells:
        cell.font = bold
    cells[-1].fill = PatternFill("solid", fgColor="FDE2E0")
    sheet.append(cells)
    for row in rows:
        sheet.append([row.cells.get(name, "") for name in header] + ["; ".join(row.reasons)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def batch_table(batches):
    """The uploads page as a table for the xlsx/CSV export (no pupil data: counts only)."""
    from rsoko.exports import Column, Table

    columns = [Column("created_at", "Когда", "date", 18), Column("procedure", "Процедура", width=20),
               Column("filename", "Файл", width=40), Column("format", "Формат", width=16), Column("rows", "Строк", "int", 9),
               Column("stored", "Сохранено", "int", 11), Column("absent", "Отсутств.", "int", 10),
               Column("quarantined", "Карантин", "int", 10), Column("uploaded_by", "Кто", width=18)]
    rows = ({"created_at": b.created_at, "procedure": b.procedure.code, "filename": b.filename,
             "format": b.get_format_display(), "rows": b.rows, "stored": b.stored, "absent": b.absent,
             "quarantined": b.quarantined, "uploaded_by": str(b.uploaded_by) if b.uploaded_by else "система"}
            for b in batches)
    return Table("Загрузки результатов", columns, rows, filename="zagruzki")
