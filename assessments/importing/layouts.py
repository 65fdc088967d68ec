"""Recognising a results file by its header and bringing it to one canonical table.

Four layouts are known (DOMAIN §3):
- A, the ФИС ОКО electronic protocol: sheet «Протокол», task columns «1(1) (1б)» carry label and max;
- B, the ФИС ОКО regional per-pupil export (2021 on): «балл за N» is task position N, maxima come from the codifier;
- B-2020, the same export as ФИС ОКО gave it in 2020, with Latin technical headers
  `groups | user | code | otc | var-1 | sum | a-1-grade … a-N-grade`: «user» is the school login, «code» the
  pupil's code, «groups» the class, «otc» the journal mark (отметка), «var-1» the variant, «sum» the stated
  total and «a-N-grade» the score of task position N; maxima come from the codifier, as in B;
- C, the portal's own template: «Код ОО | Код участника | Класс | Пол | Отметка в журнале | Вариант |
  <label> (<max>б) …».
The canonical table keeps every cell as text (normalisation happens in `checks`), one row per data row
with the Excel row number beside it, so every message can point at the cell the user sees.
"""
from dataclasses import dataclass, field
import re

import numpy as np
import pandas as pd

from rsoko.exports import unneutralise
from rsoko.tables import Sheet

PROTOCOL, EXPORT, EXPORT_2020, TEMPLATE = "protocol", "export", "export2020", "template"
FORMAT_NAMES = {PROTOCOL: "электронный протокол ФИС ОКО", EXPORT: "региональная выгрузка ФИС ОКО",
                EXPORT_2020: "региональная выгрузка ФИС ОКО (формат 2020 года)", TEMPLATE: "шаблон портала"}
# Layouts whose task columns are positions without maxima: the codifier gives the maxima.
POSITIONAL = frozenset({EXPORT, EXPORT_2020})
# Canonical columns; task scores follow as t1 … tN (by position).
SCHOOL, PARTICIPANT, CLASS, SEX, JOURNAL, VARIANT, TOTAL = (
    "school", "participant", "class_name", "sex", "journal_mark", "variant", "total")
REQUIRED = (SCHOOL, PARTICIPANT, VARIANT)
# The column the quarantine download adds; a file carrying it holds fixed rows to merge.
QUARANTINE_COLUMN = "Причина ошибки"

WITH_MAX = re.compile(r"^(?P<label>\S.*?)\s*\(\s*(?P<max>\d+)\s*б\.?\s*\)$", re.IGNORECASE)
EXPORT_TASK = re.compile(r"^балл за\s*(?P<position>\d+)$")
EXPORT_2020_TASK = re.compile(r"^a-(?P<position>\d+)-grade$")
POSITION_PATTERNS = {EXPORT: EXPORT_TASK, EXPORT_2020: EXPORT_2020_TASK}
NAME_LIKE = re.compile(r"^(фио|ф\.\s*и\.\s*о\.?|фамилия|имя|отчество|фамилия,? имя)\b")

HEADER_WORDS = {
    PROTOCOL: {SCHOOL: ["школа", "пользователь"], PARTICIPANT: ["код"], CLASS: ["наименование класса"],
               SEX: ["пол"], JOURNAL: ["отметка за предыдущ*"], VARIANT: ["вариант"], TOTAL: ["итого баллов"]},
    EXPORT: {SCHOOL: ["логин школы"], PARTICIPANT: ["код обучающегося"], CLASS: ["класс"], SEX: ["пол"],
             JOURNAL: ["отметка за предыдущ*"], VARIANT: ["вариант"], TOTAL: ["всего баллов"]},
    EXPORT_2020: {SCHOOL: ["user"], PARTICIPANT: ["code"], CLASS: ["groups"], JOURNAL: ["otc"],
                  VARIANT: ["var-1", "var*"], TOTAL: ["sum"]},
    TEMPLATE: {SCHOOL: ["код оо"], PARTICIPANT: ["код участника"], CLASS: ["класс"], SEX: ["пол"],
               JOURNAL: ["отметка в журнале"], VARIANT: ["вариант"], TOTAL: ["итого баллов", "всего баллов"]},
}
COLUMN_TITLES = {SCHOOL: "школа", PARTICIPANT: "код участника", VARIANT: "вариант"}


@dataclass
class HeaderTask:
    """A task column of the file: position (1-based order), label and max as printed (None in format B)."""

    position: int
    label: str
    max_score: int | None
    column: str  # the header exactly as in the file


@dataclass
class RawTable:
    format: str
    sheet: str
    header: list[str]  # the kept columns, as in the file (names of pupils already dropped)
    frame: pd.DataFrame  # canonical columns + t1…tN + "row" (Excel row number); all text
    tasks: list[HeaderTask]
    columns: dict[str, str]  # canonical → header in the file, for messages
    cells: np.ndarray | None = None  # kept columns' text, aligned with frame (kept for quarantine)
    fixes: bool = False  # the file is a quarantine download: rows to merge, not a full replacement
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class LayoutError(Exception):
    """The file is not a results table the portal knows; `errors` are Russian messages."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def header_key(cell: str) -> str:
    return re.sub(r"\s+", " ", str(cell)).strip().lower().replace("ё", "е")


def matches(key: str, word: str) -> bool:
    return key.startswith(word[:-1]) if word.endswith("*") else key == word


def guess_format(keys: list[str]) -> str | None:
    present = set(keys)
    if "логин школы" in present and any(EXPORT_TASK.match(k) for k in keys):
        return EXPORT
    if {"user", "code"} <= present and any(EXPORT_2020_TASK.match(k) for k in keys):
        return EXPORT_2020
    if "код оо" in present and "код участника" in present:
        return TEMPLATE
    if "код" in present and "вариант" in present and ({"школа", "пользователь"} & present):
        return PROTOCOL
    return None


def find_header(sheets: list[Sheet]) -> tuple[Sheet, int, str] | None:
    """The first sheet (the protocol's «Протокол» first) and row, within the first ten, that is a known header."""
    ordered = sorted(sheets, key=lambda s: s.name.strip().lower() != "протокол")
    for sheet in ordered:
        for index, row in enumerate(sheet.rows[:10]):
            layout = guess_format([header_key(c) for c in row])
            if layout:
                return sheet, index, layout
    return None


def locate_columns(keys: list[str], layout: str) -> dict[str, int]:
    found = {}
    for canonical, words in HEADER_WORDS[layout].items():
        for word in words:  # the first word listed wins (the protocol's «Школа» before «Пользователь»)
            index = next((i for i, k in enumerate(keys) if matches(k, word)), None)
            if index is not None:
                found[canonical] = index
                break
    return found


def locate_tasks(header: list[str], keys: list[str], layout: str) -> list[tuple[int, HeaderTask]]:
    tasks = []
    for index, (cell, key) in enumerate(zip(header, keys)):
        if layout in POSITIONAL:
            match = POSITION_PATTERNS[layout].match(key)
            if match:
                tasks.append((index, HeaderTask(int(match["position"]), match["position"], None, cell)))
        else:
            match = WITH_MAX.match(cell.strip())
            if match:
                tasks.append((index, HeaderTask(len(tasks) + 1, match["label"], int(match["max"]), cell)))
    if layout in POSITIONAL:
        tasks.sort(key=lambda item: item[1].position)
    return tasks


def export_position_errors(tasks: list[HeaderTask], layout: str) -> list[str]:
    positions = [t.position for t in tasks]
    expected = list(range(1, len(positions) + 1))
    if positions != expected:
        pattern = "балл за N" if layout == EXPORT else "a-N-grade"
        return [f"Столбцы «{pattern}» должны идти без пропусков и повторов от 1 до {len(positions)}; "
                f"в файле: {', '.join(map(str, positions))}."]
    return []


def recognise(sheets: list[Sheet], filename: str = "") -> RawTable:
    """Finds the header, drops columns with pupils' names, maps columns; raises LayoutError if unknown."""
    located = find_header(sheets)
    if located is None:
        raise LayoutError([
            f"Файл «{filename}» не похож на файл результатов: не найдена строка заголовка ни электронного "
            "протокола ФИС ОКО (Код, Вариант, Школа, задания «1 (1б)»), ни региональной выгрузки "
            "(логин школы, код обучающегося, балл за 1…; в 2020 году — user, code, a-1-grade…), ни шаблона портала (Код ОО, Код участника…)."
        ])
    sheet, header_index, layout = located
    header = [str(c).strip() for c in sheet.rows[header_index]]
    fixes = QUARANTINE_COLUMN.lower() in {header_key(c) for c in header}
    if fixes:  # the portal's own quarantine download: its formula rule may have prefixed a title too
        header = [unneutralise(c) for c in header]
    keys = [header_key(c) for c in header]
    warnings = [f"Столбец «{header[i]}» похож на имена обучающихся: он не загружен и нигде не хранится "
                "(портал хранит только коды участников)." for i, k in enumerate(keys) if NAME_LIKE.match(k)]
    keep = [i for i, k in enumerate(keys) if k and not NAME_LIKE.match(k) and k != QUARANTINE_COLUMN.lower()]
    columns = locate_columns(keys, layout)
    tasks = locate_tasks(header, keys, layout)
    errors = [f"Нет обязательного столбца «{HEADER_WORDS[layout][c][0].rstrip('*').capitalize()}» "
              f"({FORMAT_NAMES[layout]}, лист «{sheet.name}», строка заголовка {header_index + 1})."
              for c in REQUIRED if c not in columns]
    if not tasks:
        errors.append(f"В заголовке (лист «{sheet.name}», строка {header_index + 1}) нет столбцов с баллами за задания.")
    if layout in POSITIONAL:
        errors += export_position_errors([t for _, t in tasks], layout)
    matrix, rows = body_matrix(sheet.rows[header_index + 1:], len(header), header_index)
    if fixes:
        matrix = restore_neutralised(matrix)
    frame = build_frame(matrix, rows, columns, tasks)
    if frame.empty and not errors:
        errors.append(f"Файл «{filename}» не содержит ни одной строки с результатами под заголовком.")
    return RawTable(
        format=layout, sheet=sheet.name, header=[header[i] for i in keep], frame=frame,
        tasks=[t for _, t in tasks], columns={c: header[i] for c, i in columns.items()},
        cells=matrix[:, keep], fixes=fixes, warnings=warnings, errors=errors,
    )


def restore_neutralised(matrix: np.ndarray) -> np.ndarray:
    """Fixed quarantine rows come from the portal's own download, whose formula rule wrote «=1+1» as «'=1+1»:
    the apostrophe goes, so the value is the one originally uploaded. Only an apostrophe followed by a formula
    prefix is removed; a leading apostrophe is not valid in any results column anyway."""
    if not matrix.size:
        return matrix
    return np.vectorize(unneutralise, otypes=[object])(matrix)


def body_matrix(body: list[list[str]], width: int, header_index: int) -> tuple[np.ndarray, np.ndarray]:
    """Data rows as a text matrix with their Excel row numbers; fully empty rows are skipped."""
    if body and {len(row) for row in body} == {width}:
        matrix = np.array(body, dtype=object).reshape(len(body), width)
    else:
        matrix = ragged_matrix(body, width)
    rows = np.arange(len(body)) + header_index + 2
    if len(body):
        filled = (matrix != "").any(axis=1)
        matrix, rows = matrix[filled], rows[filled]
    return matrix, rows


def ragged_matrix(body: list[list[str]], width: int) -> np.ndarray:
    matrix = np.empty((len(body), width), dtype=object)
    for i, row in enumerate(body):
        cells = row[:width]
        matrix[i, :len(cells)] = cells
        if len(cells) < width:
            matrix[i, len(cells):] = ""
    return matrix


def build_frame(matrix: np.ndarray, rows: np.ndarray, columns: dict[str, int], tasks) -> pd.DataFrame:
    """Canonical text columns plus t1…tN and the Excel row number."""
    data = {"row": rows}
    empty = np.full(len(matrix), "", dtype=object)
    for canonical in (SCHOOL, PARTICIPANT, CLASS, SEX, JOURNAL, VARIANT, TOTAL):
        index = columns.get(canonical)
        data[canonical] = matrix[:, index] if index is not None else empty
    for position, (index, _task) in enumerate(tasks, start=1):
        data[f"t{position}"] = matrix[:, index]
    frame = pd.DataFrame({name: values for name, values in data.items() if name != "row"}, dtype=object)
    frame.insert(0, "row", rows)  # object columns as they are: inferring a string dtype costs a full pass
    return frame
