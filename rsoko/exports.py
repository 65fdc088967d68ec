"""One table description for the page, the xlsx and the CSV export, so the three never disagree.

A selector builds a `Table` (columns + rows, already scoped to the user); the page renders it with
`includes/table.html`, and `table_response(table, "xlsx" | "csv")` streams the same rows to a file (xlsx: rsoko.xlsx_stream).
Cells that a spreadsheet would read as a formula are neutralised, and exports of pupil-level data
leave an audit entry.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable
import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = "text"  # text | int | percent | number | date
    width: int = 16


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: Iterable[dict] | Callable[[], Iterable[dict]]
    filename: str = "table"
    personal_data: bool = False  # pupil-level rows: every export is logged
    notes: list[str] = field(default_factory=list)

    def iter_rows(self) -> Iterable[dict]:
        return self.rows() if callable(self.rows) else self.rows


def neutralise(value: Any) -> Any:
    """Text that starts like a formula gets a leading apostrophe, so Excel shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        try:
            float(value)
            return value  # a negative number written as text is harmless
        except ValueError:
            return "'" + value
    return value


def cell_value(column: Column, row: dict) -> Any:
    value = row.get(column.key)
    if value is None:
        return None
    if column.kind == "percent" and isinstance(value, (int, float)):
        return round(float(value), 1)
    if isinstance(value, (date, datetime)):
        return value
    return neutralise(value)


class Echo:
    def write(self, value):
        return value


def csv_lines(table: Table):
    writer = csv.writer(Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([column.title for column in table.columns])
    for row in table.iter_rows():
        yield writer.writerow([cell_value(column, row) for column in table.columns])


def personal_export_record(*, user, what: str, fmt: str, model: str = "export", object_id="",
                           details: dict | None = None, source: str = "выгрузка"):
    """One audit entry per download of pupil-level data: who (actor), what (object, title), in which format."""
    from rsoko.audit.models import AuditAction, AuditEntry

    return AuditEntry.objects.create(
        actor=user if getattr(user, "pk", None) else None,
        actor_name=getattr(user, "username", "") or "система",
        action=AuditAction.EXPORT,
        model=model,
        object_id=str(object_id)[:64],
        object_repr=f"Выгрузка персональных данных: {what}"[:300],
        after={"format": fmt, **(details or {})},
        source=source,
    )


def log_personal_export(table: Table, user, fmt: str) -> None:
    personal_export_record(user=user, what=table.title, fmt=fmt, object_id=table.filename,
                           details={"columns": [c.key for c in table.columns]})


def xlsx_chunks(table: Table):
    from .xlsx_stream import stream_xlsx

    rows = ([cell_value(column, row) for column in table.columns] for row in table.iter_rows())
    return stream_xlsx(table.title, [c.title for c in table.columns], [c.width for c in table.columns], rows,
                       notes=[neutralise(note) for note in table.notes])


def table_response(table: Table, fmt: str, user=None):
    """A streamed xlsx or CSV of the table: the download starts at once and memory stays flat."""
    if table.personal_data:
        log_personal_export(table, user, fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{table.filename}-{stamp}.csv"'
        return response
    response = StreamingHttpResponse(xlsx_chunks(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{table.filename}-{stamp}.xlsx"'
    return response


class TableExportMixin:
    """A list page that also answers ?export=xlsx|csv with the same rows (filtered, scoped, not paginated)."""

    def export_table(self, rows) -> Table:
        raise NotImplementedError

    def render_to_response(self, context, **kwargs):
        fmt = self.request.GET.get("export")
        if fmt in {"xlsx", "csv"}:
            return table_response(self.export_table(self.object_list), fmt, self.request.user)
        return super().render_to_response(context, **kwargs)
