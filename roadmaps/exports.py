"""The roadmap as an Excel workbook, laid out like the source table, with statuses."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from .choices import ExecutionStatus

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["№", "Мероприятие", "Срок (как в документе)", "Вид срока", "Начало", "Срок исполнения",
          "Ответственные исполнители", "Ожидаемый результат", "Статус", "Исполнение по организациям"]
WIDTHS = [8, 70, 24, 16, 12, 14, 40, 40, 14, 50]


def safe_cell(value):
    """Text that Excel would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def roadmap_workbook(roadmap, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Дорожная карта"
    sheet.append([safe_cell(roadmap.title)])
    sheet.append([safe_cell(f"{roadmap.legal_basis}; период: {roadmap.period_display}; владелец: {roadmap.owner}")])
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F2")
    for row in rows:
        item = row.item
        statuses = "; ".join(f"{a.organization.short_name}: {a.get_status_display()}" for a in row.assignments)
        values = [item.number, item.measure, item.deadline_text, item.get_deadline_kind_display(),
                  item.deadline_start, item.deadline_end, item.executors_text, item.expected_result,
                  ExecutionStatus(row.status).label, statuses]
        sheet.append([safe_cell(v) for v in values])
        if item.is_section:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[sheet.cell(row=4, column=index).column_letter].width = width
    for line in sheet.iter_rows(min_row=5):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column in (5, 6) and cell.value:
                cell.number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A5"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
