"""Reading a codifier table (ФИС ОКО layout) into the tasks of a variant. Pure functions, no ORM.

Layout: `№ КИМ | № | Умения… | Блоки ПООП… | Уровень сложности | Код КЭС | Код КТ | Максимальный балл…`,
one row per content element, so a task repeats on several rows: those rows are merged into one task.
"""
from dataclasses import dataclass, field

from rsoko.tables import Sheet, excel_row

# Column key → how its header starts (compared in lower case); "position" must be exactly «№».
COLUMNS = {
    "label": ("№ ким", "№ по ким"),
    "skill": ("умени",),
    "block": ("блок",),
    "level": ("уровень",),
    "kes": ("код кэс",),
    "kt": ("код кт",),
    "max_score": ("максимальный балл",),
}
REQUIRED = {"label": "№ КИМ", "position": "№", "max_score": "Максимальный балл"}
LEVELS = {"б": "Б", "базовый": "Б", "п": "П", "повышенный": "П", "в": "В", "высокий": "В"}


class CodifierError(Exception):
    """The table cannot become a codifier; `errors` are Russian messages naming row and column."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class CodifierTask:
    position: int
    label: str
    max_score: int
    level: str = ""
    skills: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    kes: list[str] = field(default_factory=list)
    kt: list[str] = field(default_factory=list)

    def as_fields(self) -> dict:
        return {
            "position": self.position, "label": self.label, "max_score": self.max_score, "level": self.level,
            "skill": "\n".join(self.skills), "block": "\n".join(self.blocks),
            "kes_codes": ", ".join(self.kes), "kt_codes": ", ".join(self.kt),
        }


def column_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        text = " ".join(title.split()).lower()
        if text == "№" and "position" not in found:
            found["position"] = index
            continue
        for key, prefixes in COLUMNS.items():
            if key not in found and text.startswith(prefixes):
                found[key] = index
    missing = [title for key, title in REQUIRED.items() if key not in found]
    if missing:
        raise CodifierError([f"В первой строке нет столбцов: {', '.join('«' + m + '»' for m in missing)}. "
                             "Ожидается макет кодификатора ФИС ОКО: № КИМ | № | Умения | Блоки ПООП | "
                             "Уровень сложности | Код КЭС | Код КТ | Максимальный балл."])
    return found


def whole_number(text: str, row: int, column: str, errors: list[str]) -> int | None:
    if text.isdigit() and int(text) > 0:
        return int(text)
    errors.append(f"Строка {row}, столбец «{column}»: «{text}» — нужно целое число больше нуля.")
    return None


def add_unique(values: list[str], text: str) -> None:
    if text and text not in values:
        values.append(text)


def parse_codifier(sheet: Sheet) -> list[dict]:
    """The tasks of the first sheet in position order, as field dicts for VariantTask/Task."""
    if not sheet.rows:
        raise CodifierError(["Лист пуст: нет ни заголовка, ни заданий."])
    columns = column_map(sheet.rows[0])
    tasks: dict[int, CodifierTask] = {}
    errors: list[str] = []
    for index, cells in enumerate(sheet.rows[1:]):
        cell = lambda key: (cells[columns[key]] if key in columns and columns[key] < len(cells) else "").strip()  # noqa: E731
        if not any(c.strip() for c in cells):
            continue
        merge_row(tasks, cell, excel_row(index), errors)
    if not tasks and not errors:
        errors.append("В таблице нет ни одного задания.")
    if errors:
        raise CodifierError(errors)
    return [tasks[position].as_fields() for position in sorted(tasks)]


def merge_row(tasks: dict[int, CodifierTask], cell, row: int, errors: list[str]) -> None:
    position = whole_number(cell("position"), row, "№", errors)
    max_score = whole_number(cell("max_score"), row, "Максимальный балл", errors)
    label, level_text = cell("label"), cell("level")
    level = LEVELS.get(level_text.lower(), None) if level_text else ""
    if not label:
        errors.append(f"Строка {row}, столбец «№ КИМ»: пусто — укажите номер задания, как он напечатан.")
    if level is None:
        errors.append(f"Строка {row}, столбец «Уровень сложности»: «{level_text}» — ожидается Б, П или В.")
    if position is None or max_score is None or not label or level is None:
        return
    task = tasks.setdefault(position, CodifierTask(position, label, max_score, level))
    if (task.label, task.max_score) != (label, max_score):
        errors.append(f"Строка {row}: задание № {position} уже встречалось с другим номером в КИМ или "
                      f"максимальным баллом («{task.label}», {task.max_score} б.), здесь «{label}», {max_score} б.")
        return
    add_unique(task.skills, cell("skill"))
    add_unique(task.blocks, cell("block"))
    add_unique(task.kes, cell("kes"))
    add_unique(task.kt, cell("kt"))
