"""Reading a roadmap table out of a document: tab-separated text, xlsx or docx. Pure functions, no ORM.

The table is found inside the document by its header row (a «Мероприятия» column next to «Сроки» or
«Ответственные»). A row whose number cell is empty continues the row above (tables broken across
pages); section headers keep their number («1. Нормативно-правовое обеспечение»). Numbers are kept
exactly as written and also turned into a sortable key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
import html
import io
import re
import zipfile

from defusedxml.ElementTree import fromstring

from .deadlines import Deadline, Kind, Period, after_order, parse_deadline, parse_period


class RoadmapFileError(Exception):
    """The document cannot be read as a roadmap; the message is in Russian."""


NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?$")
NUMBER_WITH_TEXT = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)\.?\s+(\S.*)$")
COLUMN_WORDS = {
    "number": ("№",),
    "measure": ("мероприят", "наименование", "содержание"),
    "deadline": ("срок",),
    "executors": ("ответствен", "исполнител"),
    "result": ("результат",),
}
FIELDS = ("measure", "deadline", "executors", "result")


@dataclass
class Row:
    """One numbered row of the table as written (cells stripped of markup)."""

    position: int
    number: str
    measure: str = ""
    deadline: str = ""
    executors: str = ""
    result: str = ""
    source_line: int = 0
    has_children: bool = False

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(int(p) for p in number_parts(self.number))

    @property
    def depth(self) -> int:
        return len(self.parts)

    @property
    def number_key(self) -> str:
        return ".".join(f"{p:04d}" for p in self.parts)

    @property
    def is_section(self) -> bool:
        """A header: no deadline and no executor, and either a top-level row or one with sub-rows («2.1 …»).

        A leaf row with neither stays an item (its missing deadline is reported), so nothing is hidden.
        """
        if self.deadline or self.executors:
            return False
        return self.has_children or (self.depth == 1 and not self.result)


@dataclass
class ParsedDocument:
    title: str
    period: Period | None
    order_number: str
    order_date: date | None
    rows: list[Row]
    deadlines: list[Deadline] = field(default_factory=list)
    parents: list[int | None] = field(default_factory=list)  # index of each row's parent row


def number_parts(number: str) -> list[str]:
    return [p for p in number.strip().rstrip(".").split(".") if p]


def clean(text: str) -> str:
    """Markup out (<b>, <p>, <li>, **bold**), entities decoded, whitespace collapsed."""
    value = re.sub(r"<[^>]+>", " ", text or "")
    value = html.unescape(value).replace("**", "").replace("\xa0", " ")
    return re.sub(r"\s+", " ", value).strip()


# ---- finding the table ---------------------------------------------------------------------------------

def column_of(cells: list[str], key: str) -> int | None:
    for index, cell in enumerate(cells):
        lowered = cell.lower()
        if any(word in lowered for word in COLUMN_WORDS[key]):
            return index
    return None


def header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the row is not a roadmap header."""
    measure, deadline, executors = (column_of(cells, k) for k in ("measure", "deadline", "executors"))
    if measure is None or (deadline is None and executors is None):
        return None
    columns = {"measure": measure, "deadline": deadline, "executors": executors, "result": column_of(cells, "result")}
    number = column_of(cells, "number")
    if number is None or number == measure:
        # «Мероприятия» heads both the number and the text columns (a merged header cell).
        number = 0
        if columns["measure"] == 0:
            columns["measure"] = 1
    columns["number"] = number
    return columns


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for index, cells in enumerate(rows):
        if len(cells) >= 3:
            columns = header_columns([clean(c) for c in cells])
            if columns:
                return index, columns
    return None


# ---- reading rows ---------------------------------------------------------------------------------------

def cell(cells: list[str], index: int | None) -> str:
    return clean(cells[index]) if index is not None and index < len(cells) else ""


def append(existing: str, addition: str) -> str:
    return f"{existing} {addition}".strip() if addition else existing


def read_rows(rows: list[list[str]], columns: dict[str, int], first_line: int) -> list[Row]:
    """Numbered rows; a row with an empty number cell continues the previous one."""
    result: list[Row] = []
    for offset, cells in enumerate(rows):
        values = {name: cell(cells, columns[name]) for name in FIELDS}
        head = cell(cells, columns["number"])
        number_match, with_text = NUMBER.match(head), NUMBER_WITH_TEXT.match(head)
        if number_match or with_text:
            number = number_match.group(0) if number_match else head[: with_text.start(2)].strip()
            row = Row(position=len(result) + 1, number=number, source_line=first_line + offset)
            if with_text and columns["measure"] != columns["number"]:
                values["measure"] = append(with_text.group(2), values["measure"])
            result.append(row)
        elif not result or not any(values.values()) and not head:
            continue
        else:
            row = result[-1]
            if head:
                values["measure"] = append(head, values["measure"])
        for name in FIELDS:
            setattr(row, name, append(getattr(row, name), values[name]))
    return result


def parents_of(rows: list[Row]) -> list[int | None]:
    """Each row's parent: the latest row above whose number is a prefix of this one (1.1.1 → 1.1)."""
    latest: dict[tuple, int] = {}
    parents: list[int | None] = []
    for index, row in enumerate(rows):
        parent = None
        for length in range(row.depth - 1, 0, -1):
            if row.parts[:length] in latest:
                parent = latest[row.parts[:length]]
                break
        parents.append(parent)
        latest[row.parts] = index
    return parents


# ---- the document around the table -----------------------------------------------------------------------

def blocks(lines: list[str]) -> list[str]:
    """Paragraph blocks (separated by blank lines), cleaned."""
    found, current = [], []
    for line in lines + [""]:
        text = clean(line)
        if text:
            current.append(text)
        elif current:
            found.append(" ".join(current))
            current = []
    return found


def title_from(lines: list[str]) -> str:
    candidates = [b for b in blocks(lines) if not re.match(r"^(приложение|утверждаю|утверждено)", b.lower())]
    if not candidates:
        return ""
    title = candidates[-1]
    if len(candidates) > 1 and (title.lower().startswith("по ") or len(candidates[-2]) < 40
                                and "карта" in candidates[-2].lower()):
        title = f"{candidates[-2]} {title}"
    return title[:1000]


def order_from(lines: list[str]) -> tuple[str, date | None]:
    number, day = "", None
    for line in lines:
        text = clean(line)
        match = re.fullmatch(r"№\s*([\w\-/]+)", text)
        if match and not number:
            number = match.group(1)
        if day is None and len(text) < 40:
            deadline = parse_deadline(text.replace("«", "").replace("»", ""))
            if deadline.kind == Kind.DATE and deadline.start:
                day = deadline.start
    return number, day


def parse_document(lines: list[str], rows: list[list[str]], first_row_line: int = 1) -> ParsedDocument:
    """`lines`: the text before the table; `rows`: the table's rows, header first somewhere."""
    header = find_header(rows)
    if header is None:
        raise RoadmapFileError("В документе не найдена таблица дорожной карты: нужна строка заголовка "
                               "со столбцами «Мероприятия» и «Сроки» или «Ответственные».")
    index, columns = header
    parsed_rows = read_rows(rows[index + 1:], columns, first_row_line + index + 1)
    if not parsed_rows:
        raise RoadmapFileError("Таблица дорожной карты найдена, но в ней нет ни одного пронумерованного пункта.")
    title = title_from(lines)
    period = parse_period(title) or parse_period(" ".join(blocks(lines)[-3:]))
    number, day = order_from(lines)
    parents = parents_of(parsed_rows)
    for parent in parents:
        if parent is not None:
            parsed_rows[parent].has_children = True
    return ParsedDocument(
        title=title, period=period, order_number=number, order_date=day, rows=parsed_rows,
        deadlines=[after_order(parse_deadline(row.deadline, period), day) for row in parsed_rows], parents=parents,
    )


# ---- formats ---------------------------------------------------------------------------------------------

def parse_text(text: str) -> ParsedDocument:
    """Tab-separated text: the table starts at its header and ends at the first line with no tab."""
    lines = text.replace("\r\n", "\n").split("\n")
    header_at = next((i for i, line in enumerate(lines) if "\t" in line and find_header([line.split("\t")])), None)
    if header_at is None:
        raise RoadmapFileError("В тексте не найдена таблица дорожной карты (строки со столбцами, разделёнными "
                               "табуляцией, и заголовком «Мероприятия» / «Сроки» / «Ответственные»).")
    table = []
    for line in lines[header_at:]:
        if not line.strip():
            table.append([])
            continue
        if "\t" not in line:
            break
        table.append(line.split("\t"))
    return parse_document(lines[:header_at], table, first_row_line=header_at + 1)


def parse_sheet_rows(rows: list[list[str]]) -> ParsedDocument:
    header = find_header(rows)
    lines = [" ".join(c for c in r if c) for r in rows[: header[0]]] if header else []
    return parse_document(lines, rows)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_paragraph_text(element) -> str:
    return "".join(node.text or "" for node in element.iter(f"{W}t"))


def docx_cell_text(cell_element) -> str:
    return " ".join(docx_paragraph_text(p) for p in cell_element.iter(f"{W}p"))


def docx_row_cells(row_element) -> list[str]:
    """A row's cells; a merged cell (gridSpan) keeps the columns to its right in place."""
    cells = []
    for cell_element in row_element.findall(f"{W}tc"):
        cells.append(docx_cell_text(cell_element))
        span = cell_element.find(f"{W}tcPr/{W}gridSpan")
        if span is not None:
            cells.extend([""] * (int(span.get(f"{W}val", "1")) - 1))
    return cells


def parse_docx(data: bytes) -> ParsedDocument:
    """The first table of a Word document with a roadmap header; paragraphs above it give the title."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > 200 * 1024 * 1024:
                raise RoadmapFileError("Документ Word слишком велик после распаковки.")
            root = fromstring(archive.read(info))
    except (zipfile.BadZipFile, KeyError):
        raise RoadmapFileError("Файл не является документом Word (.docx) или повреждён.") from None
    except Exception as exc:  # defusedxml refuses entity tricks with its own exceptions
        if isinstance(exc, RoadmapFileError):
            raise
        raise RoadmapFileError("Документ Word содержит недопустимую разметку XML.") from None
    body = root.find(f"{W}body")
    lines: list[str] = []
    for element in list(body) if body is not None else []:
        if element.tag == f"{W}p":
            lines.append(docx_paragraph_text(element))
        elif element.tag == f"{W}tbl":
            rows = [docx_row_cells(r) for r in element.iter(f"{W}tr")]
            if find_header(rows):
                return parse_document(lines, rows)
    raise RoadmapFileError("В документе Word не найдена таблица дорожной карты.")
