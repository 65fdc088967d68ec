"""Parsing the federal list of schools with signs of non-objective results (pure: rows in, records out).

Accepted layouts (header row first): «Код ОО» (or «Логин»), «Год» and either «Маркеры» («4 РУ, 5 МА»)
or one column per marker («4 РУ», «4 МА», «5 РУ», «5 МА») holding a non-empty mark (1, +, да, X).
"""
from dataclasses import dataclass, field
import re

from rsoko.orgs.models import FISOKO_LOGIN
from rsoko.tables import Sheet, excel_row

MARKER = re.compile(r"^\s*(\d{1,2})\s*(РУ|МА|RU|MA)\s*$", re.IGNORECASE)
CODE_HEADERS = {"код оо", "логин", "логин оо", "код", "логин школы"}
YES = {"1", "+", "да", "x", "х", "v", "✓"}


@dataclass
class FederalList:
    records: dict = field(default_factory=dict)  # (code, year) → markers text
    errors: list = field(default_factory=list)


def normalise_marker(grade: str, subject: str) -> str:
    return f"{int(grade)} {'РУ' if subject.upper() in {'РУ', 'RU'} else 'МА'}"


def parse_federal_list(sheets: list[Sheet]) -> FederalList:
    parsed = FederalList()
    sheet = next((s for s in sheets if s.rows), None)
    if sheet is None:
        parsed.errors.append("Файл не содержит строк.")
        return parsed
    header = [cell.strip().lower() for cell in sheet.rows[0]]
    code_col = next((i for i, h in enumerate(header) if h in CODE_HEADERS), None)
    year_col = header.index("год") if "год" in header else None
    markers_col = header.index("маркеры") if "маркеры" in header else None
    marker_cols = {i: MARKER.match(h) for i, h in enumerate(header) if MARKER.match(h)}
    if code_col is None or year_col is None or (markers_col is None and not marker_cols):
        parsed.errors.append("Нужны столбцы «Код ОО», «Год» и «Маркеры» (или столбцы маркеров «4 РУ», «5 МА»…).")
        return parsed
    for index, row in enumerate(sheet.rows[1:]):
        if any(row):
            parse_row(parsed, excel_row(index), row, code_col, year_col, markers_col, marker_cols, sheet.rows[0])
    return parsed


def parse_row(parsed, number, row, code_col, year_col, markers_col, marker_cols, header):
    cell = lambda i: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
    code, year = cell(code_col).lower(), cell(year_col)
    if not FISOKO_LOGIN.match(code):
        parsed.errors.append(f"Строка {number}, столбец «{header[code_col]}»: «{cell(code_col)}» — не логин ОО ФИС ОКО (латинские буквы и цифры: sch…, edu…, ksh…).")
        return
    if not (year.isdigit() and 2015 <= int(year) <= 2100):
        parsed.errors.append(f"Строка {number}, столбец «Год»: «{year}» — укажите год четырьмя цифрами.")
        return
    if markers_col is not None:
        found = [MARKER.match(part) for part in re.split(r"[,;]", cell(markers_col)) if part.strip()]
        if not found or not all(found):
            parsed.errors.append(f"Строка {number}, столбец «Маркеры»: «{cell(markers_col)}» — ожидается, например, «4 РУ, 5 МА».")
            return
        markers = [normalise_marker(m.group(1), m.group(2)) for m in found]
    else:
        markers = [normalise_marker(m.group(1), m.group(2)) for i, m in marker_cols.items() if cell(i).lower() in YES]
    if markers:
        parsed.records[(code, int(year))] = ", ".join(sorted(set(markers)))
