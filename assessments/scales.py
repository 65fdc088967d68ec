"""Checking a scale against its procedure (pure: plain data in, Russian messages out).

A scale carries the first primary score of «3», «4», «5»; optional extra conditions (ОГЭ математика:
at least 2 points from the geometry tasks for any positive mark); for ЕГЭ a primary → test score table
and a minimum; for зачёт/незачёт kinds the first passing primary score. Converting scores into marks
is not done here (that is the scoring of uploaded results).
"""
from dataclasses import dataclass, field
import re

MARKS = ("3", "4", "5")


@dataclass
class ScaleData:
    boundaries: dict = field(default_factory=dict)
    conditions: list = field(default_factory=list)
    test_scores: list = field(default_factory=list)
    minimum_test_score: int | None = None
    pass_score: int | None = None


def boundaries_from_firsts(text: str) -> dict[str, int]:
    """«6,10,15» → {"3": 6, "4": 10, "5": 15}; raises ValueError with a Russian message."""
    parts = [part.strip() for part in re.split(r"[,;/\s]+", text.strip()) if part.strip()]
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(
            f"Шкала «{text}»: нужно три целых числа через запятую — первые баллы отметок «3», «4» и «5», например 6,10,15."
        )
    return dict(zip(MARKS, map(int, parts)))


def check_boundaries(boundaries: dict, max_score: int | None) -> list[str]:
    errors = []
    unknown = sorted(set(boundaries) - set(MARKS))
    if unknown:
        errors.append(f"Границы заданы для неизвестных отметок: {', '.join(unknown)} (допустимы «3», «4», «5»).")
    missing = [mark for mark in MARKS if boundaries.get(mark) in (None, "")]
    if missing:
        errors.append("Не указан первый балл отметки " + ", ".join(f"«{m}»" for m in missing) + ".")
        return errors
    values = [boundaries[mark] for mark in MARKS]
    if not all(isinstance(value, int) and not isinstance(value, bool) and value >= 1 for value in values):
        return errors + ["Первые баллы отметок должны быть целыми числами не меньше 1."]
    if not values[0] < values[1] < values[2]:
        errors.append(
            f"Границы должны возрастать: «3» с {values[0]}, «4» с {values[1]}, «5» с {values[2]} — "
            "каждая следующая отметка начинается с большего балла."
        )
    if max_score is not None and values[2] > max_score:
        errors.append(f"Отметка «5» начинается с {values[2]} баллов, а максимальный первичный балл — {max_score}.")
    return errors


def check_condition(number: int, condition, task_max: dict[str, int]) -> list[str]:
    where = f"Условие {number}"
    if not isinstance(condition, dict):
        return [f"{where}: ожидается описание условия (отметки, задания, минимум баллов)."]
    errors = []
    marks = condition.get("marks") or []
    if not marks or any(str(mark) not in MARKS for mark in marks):
        errors.append(f"{where}: отметки должны быть из «3», «4», «5».")
    tasks = [str(task) for task in condition.get("tasks") or []]
    if not tasks:
        errors.append(f"{where}: не указаны задания.")
    unknown = [task for task in tasks if task not in task_max]
    if unknown:
        errors.append(f"{where}: в спецификации нет заданий {', '.join(unknown)}.")
    min_points = condition.get("min_points")
    if not isinstance(min_points, int) or isinstance(min_points, bool) or min_points < 1:
        errors.append(f"{where}: минимум баллов должен быть целым числом не меньше 1.")
    elif tasks and not unknown and min_points > sum(task_max[task] for task in tasks):
        errors.append(
            f"{where}: требуется {min_points} баллов, а за задания {', '.join(tasks)} можно получить "
            f"не более {sum(task_max[task] for task in tasks)}."
        )
    return errors


def check_test_scores(test_scores: list, minimum: int | None, max_score: int | None) -> list[str]:
    errors = []
    if not all(isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100 for v in test_scores):
        return ["Тестовые баллы должны быть целыми числами от 0 до 100."]
    if max_score is not None and len(test_scores) != max_score + 1:
        errors.append(
            f"Таблица перевода должна содержать {max_score + 1} значений (первичные баллы 0…{max_score}), "
            f"а содержит {len(test_scores)}."
        )
    drops = [i for i in range(1, len(test_scores)) if test_scores[i] < test_scores[i - 1]]
    if drops:
        errors.append(f"Тестовый балл не может убывать: первичный балл {drops[0]} даёт меньше, чем {drops[0] - 1}.")
    if minimum is not None and not 0 <= minimum <= 100:
        errors.append("Минимальный тестовый балл должен быть от 0 до 100.")
    return errors


def validate_scale(scale: ScaleData, *, grading: str, max_score: int | None, task_max: dict[str, int]) -> list[str]:
    """Every problem of a scale for a procedure graded as `grading` with the given tasks (label → max)."""
    errors = []
    if grading == "marks" or scale.boundaries:
        errors += check_boundaries(scale.boundaries, max_score)
    for number, condition in enumerate(scale.conditions, start=1):
        errors += check_condition(number, condition, task_max)
    if grading == "test_score" and not scale.test_scores:
        errors.append("Для процедуры с тестовыми баллами укажите таблицу перевода первичных баллов в тестовые.")
    if scale.test_scores:
        errors += check_test_scores(scale.test_scores, scale.minimum_test_score, max_score)
    if grading == "pass_fail" and scale.pass_score is None:
        errors.append("Для процедуры «зачёт/незачёт» укажите первый балл, дающий зачёт.")
    if scale.pass_score is not None and max_score is not None and not 1 <= scale.pass_score <= max_score:
        errors.append(f"Порог зачёта {scale.pass_score} должен быть от 1 до максимального балла {max_score}.")
    return errors


def parse_conditions(text: str) -> list[dict]:
    """Lines «3,4,5 | 15,16,17 | 2» (marks | task labels | minimum points) → conditions; ValueError in Russian."""
    conditions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3:
            raise ValueError(
                f"Строка {number} условий: «{line.strip()}» — нужно три части через «|»: отметки | задания | минимум баллов."
            )
        marks = [m for m in re.split(r"[,;\s]+", parts[0]) if m]
        tasks = [t for t in re.split(r"[,;\s]+", parts[1]) if t]
        if not parts[2].isdigit():
            raise ValueError(f"Строка {number} условий: минимум баллов «{parts[2]}» — не целое число.")
        conditions.append({"marks": marks, "tasks": tasks, "min_points": int(parts[2])})
    return conditions


def conditions_text(conditions: list[dict]) -> str:
    return "\n".join(
        f"{','.join(map(str, c.get('marks', [])))} | {','.join(map(str, c.get('tasks', [])))} | {c.get('min_points', '')}"
        for c in conditions
    )


def parse_test_scores(text: str) -> list[int]:
    """«0, 3, 5, 8…» (the test score of primary scores 0, 1, 2…) → list; ValueError in Russian."""
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    bad = [part for part in parts if not part.isdigit()]
    if bad:
        raise ValueError(f"Таблица перевода: «{bad[0]}» — не целое число.")
    return [int(part) for part in parts]


def describe_boundaries(boundaries: dict, max_score: int | None) -> list[tuple[str, str]]:
    """[(«2», «0–5»), («3», «6–9»)…] for display."""
    if not all(boundaries.get(mark) is not None for mark in MARKS):
        return []
    firsts = [boundaries[mark] for mark in MARKS]
    lasts = [firsts[0] - 1, firsts[1] - 1, firsts[2] - 1, max_score]
    starts = [0] + firsts
    return [
        (mark, f"{start}–{end}" if end is not None else f"{start} и выше")
        for mark, start, end in zip(("2",) + MARKS, starts, lasts)
    ]
