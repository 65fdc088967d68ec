"""Checks of the input contract (see the package docstring), with Russian messages naming the column."""
import numpy as np
import pandas as pd

RESULT_COLUMNS = ("school_id", "municipality_id", "class_name", "journal_mark", "primary_score", "mark")
TASK_COLUMNS = ("position", "label", "max_score", "level", "skill", "block")
TASK_LEVELS = {"Б", "П", "В", ""}


class ContractError(ValueError):
    """The frames handed to the analytics do not follow the input contract."""


def check_inputs(results: pd.DataFrame, task_scores: np.ndarray, tasks: pd.DataFrame, *,
                 max_score: int | None = None, boundaries: dict | None = None) -> None:
    """Raise ``ContractError`` with a Russian message at the first violation; return None when all is well."""
    missing = [c for c in RESULT_COLUMNS if c not in results]
    if missing:
        raise ContractError(f"В результатах нет столбцов: {', '.join(missing)}")
    missing = [c for c in TASK_COLUMNS if c not in tasks]
    if missing:
        raise ContractError(f"В спецификации заданий нет столбцов: {', '.join(missing)}")
    if np.ndim(task_scores) != 2 or np.shape(task_scores) != (len(results), len(tasks)):
        raise ContractError(f"Матрица баллов {np.shape(task_scores)} не совпадает с участниками ({len(results)}) "
                            f"и заданиями ({len(tasks)})")
    for column in ("school_id", "municipality_id"):
        if results[column].isna().any():
            raise ContractError(f"Столбец «{column}»: есть пустые значения")
    levels = set(tasks["level"].fillna("").astype(str))
    if not levels <= TASK_LEVELS:
        raise ContractError(f"Столбец «level» заданий: допустимы Б, П, В; встретилось {sorted(levels - TASK_LEVELS)}")
    scores = np.asarray(task_scores)
    maxima = tasks["max_score"].to_numpy(dtype=float)
    if (scores < 0).any():
        raise ContractError("Баллы за задания не могут быть отрицательными")
    over = scores > maxima[None, :]
    if over.any():
        row, column = np.argwhere(over)[0]
        label = tasks["label"].iloc[column]
        raise ContractError(f"Участник № {row + 1}: балл за задание {label} ({scores[row, column]:g}) "
                            f"больше максимального ({maxima[column]:g})")
    marks = results["mark"].dropna()
    if not marks.isin([2, 3, 4, 5]).all():
        raise ContractError("Столбец «mark»: допустимы отметки 2–5 или пусто")
    journal = results["journal_mark"].dropna()
    if not journal.isin([1, 2, 3, 4, 5]).all():
        raise ContractError("Столбец «journal_mark»: допустимы отметки 1–5 или пусто")
    if max_score is not None:
        primary = results["primary_score"]
        if primary.isna().any() or (primary < 0).any() or (primary > max_score).any():
            raise ContractError(f"Столбец «primary_score»: нужен балл от 0 до {max_score} у каждого участника")
    if boundaries:
        firsts = [int(boundaries[k]) for k in sorted(boundaries)]
        if firsts != sorted(firsts) or (max_score is not None and firsts[-1] > max_score):
            raise ContractError(f"Границы отметок {boundaries} должны возрастать и не превышать максимальный балл")
