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

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("xlsx", "csv")
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
    """The portal's one formula-injection rule (OWASP "CSV injection"): every *string* that starts with
    = + - @ tab or CR gets a leading apostrophe, so a spreadsheet shows it as text and never runs it.

    Number-like text is no exception («-5», «+7»): a string is text in the page, so it stays text in the file,
    and an exception for "harmless" numbers is exactly where payloads such as «-2+3» or «+7 900» slip through.
    Real numbers are Python ints/floats/Decimals: they are not strings, so they pass untouched and the writers
    put them in number cells (the int -5 stays the number -5).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """The inverse for a file that comes back to the portal (e.g. the quarantine sheet fixed and re-uploaded):
    a cell that is an apostrophe followed by a formula prefix was written by `neutralise`, so the apostrophe goes.
    Any other leading apostrophe is left as it is — it was typed by the person."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def spreadsheet_time(value: datetime) -> datetime:
    """Spreadsheets have no time zones: an aware moment is written as the region's wall-clock time."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def cell_value(column: Column, row: dict) -> Any:
    value = row.get(column.key)
    if value is None:
        return None
    if column.kind == "percent" and isinstance(value, (int, float)):
        return round(float(value), 1)
    if isinstance(value, datetime):
        return spreadsheet_time(value)
    if isinstance(value, date):
        return value
    return neutralise(value)


class Echo:
    def write(self, value):
        return value


def csv_lines(table: Table):
    writer = csv.writer(Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutralise(column.title) for column in table.columns])
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
    # Titles are data too when they come from a file or the registry (the quarantine sheet, municipalities).
    titles = [neutralise(c.title) for c in table.columns]
    return stream_xlsx(table.title, titles, [c.width for c in table.columns], rows,
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


def requested_export(request) -> str | None:
    """The format a page was asked for with ?export=xlsx|csv, or None for the page itself."""
    fmt = request.GET.get("export")
    return fmt if fmt in EXPORT_FORMATS else None


def page_export(request, tables: dict[str, Callable[[], Table]]):
    """The export of a page's table, or None when the page itself was asked for.

    `tables` maps the ?table= name to a builder; a page with one table passes one entry, and without ?table= the
    first entry is exported. An unknown name is a 404, like any address that does not exist.
    """
    fmt = requested_export(request)
    if fmt is None:
        return None
    name = request.GET.get("table") or next(iter(tables))
    if name not in tables:
        raise Http404("Такой таблицы на странице нет.")
    return table_response(tables[name](), fmt, request.user)


class TableExportMixin:
    """A list page that also answers ?export=xlsx|csv with the same rows (filtered, scoped, not paginated)."""

    def export_table(self, rows) -> Table:
        raise NotImplementedError

    def render_to_response(self, context, **kwargs):
        fmt = requested_export(self.request)
        if fmt:
            return table_response(self.export_table(self.object_list), fmt, self.request.user)
        return super().render_to_response(context, **kwargs)
