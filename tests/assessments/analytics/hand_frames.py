"""A tiny region small enough to compute every figure by hand (the expected values in the tests)."""
import numpy as np
import pandas as pd

BOUNDARIES = {"3": 6, "4": 10, "5": 15}
MAX_SCORE = 20


def hand_results() -> pd.DataFrame:
    return pd.DataFrame({
        "school_id": [1, 1, 1, 1, 1, 2, 2, 2],
        "municipality_id": [10, 10, 10, 10, 10, 20, 20, 20],
        "class_name": ["4а", "4а", "4а", "4б", "4б", "4а", "4а", "4а"],
        "sex": ["м", "ж", "м", "ж", "м", "ж", "м", "ж"],
        "journal_mark": [5, 4, np.nan, 3, 4, 3, 3, 5],
        "primary_score": [18, 12, 7, 4, 16, 12, 6, 9],
        "mark": [5, 4, 3, 2, 5, 4, 3, 3],
        "settlement_type": ["город"] * 5 + ["село"] * 3,
        "participant_code": [f"p{i}" for i in range(8)],
    }).astype({"journal_mark": float, "primary_score": float, "mark": float})


def hand_task_scores() -> np.ndarray:
    return np.array([
        [1, 2, 3], [1, 1, 2], [0, 1, 0], [0, 0, 0], [1, 2, 1], [1, 2, 3], [0, 1, 1], [1, 0, 0],
    ])


def hand_tasks() -> pd.DataFrame:
    return pd.DataFrame({
        "position": [1, 2, 3], "label": ["1", "2", "3(1)"], "max_score": [1, 2, 3],
        "level": ["Б", "Б", "П"], "skill": ["Умение А", "Умение А", "Умение Б"], "block": ["Блок 1", "", "Блок 1"],
    })
