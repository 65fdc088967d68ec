"""Reading ФИС ОКО codifier tables into a task specification (pure: rows of text in, tasks out).

A codifier has one row per content element, so one task spans several rows: they are merged by the
task's position («№»), the КЭС/КТ codes joined, and the repeated maximum checked for consistency.
Every problem names its Excel row and column; the caller writes nothing unless the list is clean.
"""
from dataclasses import dataclass, field
import re

from rsoko.tables import Sheet

TASK_LEVELS = {"Б", "П", "В"}
# Latin look-alikes typed instead of the Cyrillic letters Б/П/В (the Latin «B» stands for «В»).
LEVEL_LOOKALIKES = {"B": "В"}
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # how the column is named in messages
    required: bool


COLUMNS = [
    Column("label", "№ КИМ", True),
    Column("position", "№", True),
    Column("skill", "Умения…", False),
    Column("block", "Блоки ПООП…", False),
    Column("level", "Уровень сложности", False),
    Column("kes", "Код КЭС", False),
    Column("kt", "Код КТ", False),
    Column("max_score", "Максимальный балл…", True),
]


class CodifierError(Exception):
    """The codifier was refused; `errors` lists every problem in Russian."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:3]))
        self.errors = errors


@dataclass
class TaskSpec:
    """One task of a specification, ready to be stored."""

    position: int
    label: str
    max_score: int
    level: str = ""
    skill: str = ""
    block: str = ""
    kes_codes: str = ""
    kt_codes: str = ""
    rows: list[int] = field(default_factory=list, compare=False)  # Excel rows it was merged from

    def as_fields(self) -> dict:
        """The task's model fields (a procedure's Task or a КИМ variant's task)."""
        return {name: getattr(self, name) for name in
                ("position", "label", "max_score", "level", "skill", "block", "kes_codes", "kt_codes")}


def normalise_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip().lower()


def column_key(header: str) -> str | None:
    """Which codifier column a header names; both «№ КИМ» and «№ по КИМу» are seen in real files."""
    text = normalise_header(header)
    if text == "№":
        return "position"
    if text.startswith("№") and "ким" in text:
        return "label"
    prefixes = {
        "умения": "skill", "блоки пооп": "block", "уровень сложности": "level", "код кэс": "kes",
        "код кт": "kt", "максимальный балл": "max_score",
    }
    return next((key for prefix, key in prefixes.items() if text.startswith(prefix)), None)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def find_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The first row (within the top few) that names the position and the maximum score columns."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = column_key(cell)
            if key and key not in columns:
                columns[key] = position
        if "position" in columns and "max_score" in columns:
            return index, columns
    return None


def cell(row: list[str], position: int | None) -> str:
    if position is None or position >= len(row):
        return ""
    return re.sub(r"[ \t]+", " ", row[position].replace("\xa0", " ")).strip()


def parse_int(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+[.,]0+", text):
        return int(re.split(r"[.,]", text)[0])
    return None


def joined_unique(values: list[str], separator: str) -> str:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return separator.join(seen)


@dataclass
class ParsedRow:
    excel_row: int
    position: int
    label: str
    max_score: int
    level: str
    skill: str
    block: str
    kes: str
    kt: str


class RowReader:
    """Turns one data row into a ParsedRow, collecting messages that name the row and column."""

    def __init__(self, header: list[str], columns: dict[str, int], errors: list[str]):
        self.header, self.columns, self.errors = header, columns, errors

    def where(self, excel_row: int, key: str) -> str:
        index = self.columns[key]
        return f"Строка {excel_row}, столбец {column_letter(index)} («{self.header[index]}»)"

    def read(self, row: list[str], excel_row: int) -> ParsedRow | None:
        values = {key: cell(row, index) for key, index in self.columns.items()}
        start = len(self.errors)
        position = self.positive_int(values["position"], excel_row, "position", "номер задания по порядку")
        max_score = self.positive_int(values["max_score"], excel_row, "max_score", "максимальный балл")
        label = values.get("label", "")
        if "label" in self.columns and not label:
            self.errors.append(f"{self.where(excel_row, 'label')}: не указан номер задания в КИМ.")
        level = self.level(values.get("level", ""), excel_row)
        if len(self.errors) > start:
            return None
        return ParsedRow(
            excel_row, position, label or str(position), max_score, level, values.get("skill", ""),
            values.get("block", ""), values.get("kes", ""), values.get("kt", ""),
        )

    def positive_int(self, text: str, excel_row: int, key: str, what: str) -> int | None:
        number = parse_int(text)
        if number is None or number < 1:
            shown = f"«{text}»" if text else "пусто"
            self.errors.append(f"{self.where(excel_row, key)}: {shown} — ожидается {what}, целое число не меньше 1.")
        return number

    def level(self, text: str, excel_row: int) -> str:
        value = LEVEL_LOOKALIKES.get(text.upper(), text.upper())
        if value and value not in TASK_LEVELS:
            self.errors.append(
                f"{self.where(excel_row, 'level')}: «{text}» — уровень сложности должен быть Б, П или В."
            )
        return value


def merge_task(rows: list[ParsedRow], errors: list[str]) -> TaskSpec:
    """One task from its rows; conflicting label, maximum or level is an error naming the rows."""
    first = rows[0]
    for attribute, what in (("max_score", "максимальный балл"), ("label", "номер в КИМ"), ("level", "уровень сложности")):
        values = {getattr(row, attribute) for row in rows if getattr(row, attribute) != ""}
        if len(values) > 1:
            listing = ", ".join(f"строка {row.excel_row}: {getattr(row, attribute)}" for row in rows)
            errors.append(f"Задание № {first.position}: разный {what} в строках одного задания ({listing}).")
    return TaskSpec(
        position=first.position,
        label=first.label,
        max_score=first.max_score,
        level=next((row.level for row in rows if row.level), ""),
        skill=joined_unique([row.skill for row in rows], "\n"),
        block=joined_unique([row.block for row in rows], "\n"),
        kes_codes=joined_unique([row.kes for row in rows], ", "),
        kt_codes=joined_unique([row.kt for row in rows], ", "),
        rows=[row.excel_row for row in rows],
    )


def check_sequence(tasks: list[TaskSpec], errors: list[str]) -> None:
    """Positions are «балл за N» in exports, so they must run 1..N; labels must not repeat."""
    positions = [task.position for task in tasks]
    missing = sorted(set(range(1, max(positions) + 1)) - set(positions))
    if missing:
        errors.append(
            "Номера заданий в столбце «№» должны идти подряд с 1: пропущены "
            + ", ".join(map(str, missing[:20])) + "."
        )
    seen: dict[str, TaskSpec] = {}
    for task in tasks:
        other = seen.setdefault(task.label, task)
        if other is not task:
            errors.append(
                f"Номер в КИМ «{task.label}» повторяется у заданий № {other.position} (строки "
                f"{', '.join(map(str, other.rows))}) и № {task.position} (строки {', '.join(map(str, task.rows))})."
            )


def parse_codifier_rows(rows: list[list[str]]) -> list[TaskSpec]:
    """Tasks in position order from the rows of one sheet; raises CodifierError listing every problem."""
    found = find_header(rows)
    if found is None:
        raise CodifierError([
            "Не найдена строка заголовка кодификатора: нужны столбцы «№ КИМ» (или «№ по КИМу»), «№» и "
            "«Максимальный балл за выполнение задания»."
        ])
    header_index, columns = found
    errors = [f"Нет обязательного столбца «{c.title}»." for c in COLUMNS if c.required and c.key not in columns]
    if errors:
        raise CodifierError(errors)
    reader = RowReader(rows[header_index], columns, errors)
    by_position: dict[int, list[ParsedRow]] = {}
    for offset, row in enumerate(rows[header_index + 1:]):
        if not any(text.strip() for text in row):
            continue
        parsed = reader.read(row, excel_row=header_index + 2 + offset)
        if parsed is not None:
            by_position.setdefault(parsed.position, []).append(parsed)
    if not by_position and not errors:
        errors.append("В кодификаторе нет ни одного задания.")
    tasks = [merge_task(by_position[position], errors) for position in sorted(by_position)]
    if tasks:
        check_sequence(tasks, errors)
    if errors:
        raise CodifierError(errors)
    return tasks


def parse_codifier(sheets: list[Sheet]) -> list[TaskSpec]:
    """The first sheet that looks like a codifier; a workbook with none gets the header message."""
    for sheet in sheets:
        if find_header(sheet.rows) is not None:
            return parse_codifier_rows(sheet.rows)
    return parse_codifier_rows(sheets[0].rows if sheets else [])
