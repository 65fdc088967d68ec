"""Thousands of row errors read as a handful of problems: grouped by kind and column, with counts, the first rows,
the schools most concerned and what to do next. Pure functions over the messages the checks write
(«Строка 12, столбец «3 (2б)»: балл «7» больше максимального…»), so a stored result can be summarised too.
"""
from collections import Counter
from dataclasses import dataclass, field
import re

ROW_MESSAGE = re.compile(r"^Строка (?P<row>\d+), столбец «(?P<column>[^»]*)»: (?P<text>.*)$", re.DOTALL)
QUOTED = re.compile(r"«[^«»]*»")
FIRST_ROWS = 5
TOP_SCHOOLS = 5

# What the person who uploaded the file does next, by the kind of problem (the first pattern found in it).
ADVICE = [
    ("не найдена в реестре", "Проверьте логин школы в файле; если школа новая — добавьте её в реестр "
                             "(«Загрузка реестра») и загрузите файл снова."),
    ("вне вашей зоны", "Результаты этой школы загружает координатор её муниципалитета: уберите её строки из файла."),
    ("не указана школа", "Заполните столбец школы (логин ФИС ОКО или код организации)."),
    ("код участника", "У каждого участника школы — свой код: исправьте повторы и пустые коды."),
    ("больше максимального", "Проверьте, что файл относится к этой процедуре, или загрузите кодификатор с верными "
                             "максимальными баллами."),
    ("балл", "Исправьте баллы: целые числа от 0 до максимума задания, X или «не пройд.»."),
    ("не число", "Исправьте баллы: целые числа от 0 до максимума задания, X или «не пройд.»."),
]
DEFAULT_ADVICE = "Исправьте значения в файле и загрузите его снова."


@dataclass
class ErrorGroup:
    problem: str  # the message with its particular values left out: «балл «…» больше максимального…»
    column: str
    count: int = 0
    rows: list[int] = field(default_factory=list)
    schools: Counter = field(default_factory=Counter)
    example: str = ""

    def as_dict(self) -> dict:
        return {"problem": self.problem, "column": self.column, "count": self.count, "rows": self.rows,
                "more_rows": self.count - len(self.rows), "example": self.example,
                "schools": [{"school": school, "count": count} for school, count in self.schools.most_common(TOP_SCHOOLS)],
                "more_schools": max(0, len(self.schools) - TOP_SCHOOLS), "advice": advice_for(self.problem)}


def advice_for(problem: str) -> str:
    return next((advice for pattern, advice in ADVICE if pattern in problem), DEFAULT_ADVICE)


def problem_of(text: str) -> str:
    """The kind of problem: a value the school's login names stays (each unknown school is a problem of its own),
    any other quoted value becomes «…»."""
    if text.startswith("школа «"):
        return text
    return QUOTED.sub("«…»", text)


def group_row_errors(messages: list[str], schools: list[str] | None = None, *, limit: int = 30) -> list[dict]:
    """The largest groups first; `schools` (one per message, optional) names the school of each row.
    Messages about the whole file (no row) make a group each."""
    groups: dict[tuple[str, str], ErrorGroup] = {}
    for index, message in enumerate(messages):
        match = ROW_MESSAGE.match(message)
        column, text = (match["column"], match["text"]) if match else ("", message)
        problem = problem_of(text)
        group = groups.setdefault((column, problem), ErrorGroup(problem=problem, column=column, example=message))
        group.count += 1
        if match and len(group.rows) < FIRST_ROWS:
            group.rows.append(int(match["row"]))
        if schools and schools[index]:
            group.schools[schools[index]] += 1
    ordered = sorted(groups.values(), key=lambda g: (-g.count, g.column, g.problem))
    return [group.as_dict() for group in ordered[:limit]]
