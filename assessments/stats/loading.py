"""From stored results to the input contract of `assessments.analytics` (one procedure at a time)."""
from dataclasses import dataclass
import json

from django.db.models import TextField
from django.db.models.functions import Cast
import numpy as np
import pandas as pd

from assessments.choices import ParticipantStatus
from assessments.models import ParticipantResult, Procedure

RESULT_FIELDS = {
    "school_id": "school_id",
    "municipality_id": "school__municipality_id",
    "settlement_type": "school__settlement_type",
    "class_name": "class_name",
    "sex": "sex",
    "journal_mark": "journal_mark",
    "primary_score": "primary_score",
    "mark": "mark",
    "participant_code": "participant_code",
}


@dataclass
class ProcedureData:
    procedure: Procedure
    results: pd.DataFrame
    task_scores: np.ndarray
    tasks: pd.DataFrame
    boundaries: dict
    max_score: int

    @property
    def is_empty(self) -> bool:
        return self.results.empty


def tasks_frame(procedure: Procedure) -> pd.DataFrame:
    rows = procedure.tasks.order_by("position").values("position", "label", "max_score", "level", "skill", "block")
    return pd.DataFrame(list(rows), columns=["position", "label", "max_score", "level", "skill", "block"])


def scale_of(procedure: Procedure) -> dict:
    scale = getattr(procedure, "scale", None)
    return dict(scale.boundaries) if scale and scale.boundaries else {}


def score_matrix(lists: list, n_tasks: int) -> np.ndarray:
    """Task scores stored as JSON lists → an int matrix; short or missing lists are padded with zeros."""
    matrix = np.zeros((len(lists), n_tasks), dtype=np.int64)
    for row, scores in enumerate(lists):
        if scores:
            width = min(len(scores), n_tasks)
            matrix[row, :width] = scores[:width]
    return matrix


SCORE_SEPARATORS = str.maketrans("[],", "   ")


def text_score_matrix(texts: list[str], n_tasks: int) -> np.ndarray:
    """Task scores as stored JSON text («[1, 0, 2]») → an int matrix, parsed in one pass when every list has
    `n_tasks` scores (decoding the JSON row by row cost more than the whole recomputation of a procedure)."""
    if texts and n_tasks and all(text.count(",") == n_tasks - 1 for text in texts):
        values = np.array(" ".join(texts).translate(SCORE_SEPARATORS).split(), dtype=np.int64)
        if values.size == len(texts) * n_tasks:
            return values.reshape(len(texts), n_tasks)
    return score_matrix([json.loads(text) if text else None for text in texts], n_tasks)


def load_procedure(procedure: Procedure) -> ProcedureData:
    """Present participants of the active versions, with their school's municipality and settlement."""
    tasks = tasks_frame(procedure)
    query = (
        ParticipantResult.objects.active()
        .filter(procedure=procedure, status=ParticipantStatus.PRESENT)
        .order_by("id")
        .annotate(scores_text=Cast("task_scores", TextField()))
        .values_list(*RESULT_FIELDS.values(), "scores_text")
    )
    rows = list(query)
    results = pd.DataFrame([row[:-1] for row in rows], columns=list(RESULT_FIELDS))
    results["journal_mark"] = pd.to_numeric(results["journal_mark"], errors="coerce").astype(float)
    results["primary_score"] = pd.to_numeric(results["primary_score"], errors="coerce").astype(float)
    results["mark"] = pd.to_numeric(results["mark"], errors="coerce").astype(float)
    for column in ("class_name", "sex", "settlement_type", "participant_code"):
        results[column] = results[column].fillna("").astype(str)
    max_score = procedure.max_score or (int(tasks["max_score"].sum()) if not tasks.empty else 0)
    return ProcedureData(
        procedure=procedure,
        results=results,
        task_scores=text_score_matrix([row[-1] for row in rows], len(tasks)),
        tasks=tasks,
        boundaries=scale_of(procedure),
        max_score=int(max_score or 0),
    )
