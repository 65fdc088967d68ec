import numpy as np
import pytest

from assessments.analytics.contract import ContractError, check_inputs
from assessments.analytics.pipeline import ProcedureInput

from .hand_frames import BOUNDARIES, MAX_SCORE, hand_results, hand_task_scores, hand_tasks


def test_valid_inputs_pass():
    check_inputs(hand_results(), hand_task_scores(), hand_tasks(), max_score=MAX_SCORE, boundaries=BOUNDARIES)


@pytest.mark.parametrize("spoil,message", [
    (lambda r, s, t: (r.drop(columns="mark"), s, t), "нет столбцов: mark"),
    (lambda r, s, t: (r, s, t.drop(columns="skill")), "спецификации заданий нет столбцов: skill"),
    (lambda r, s, t: (r, s[:, :2], t), "Матрица баллов"),
    (lambda r, s, t: (r, np.where(np.arange(3) == 0, 4, s), t), "балл за задание 1 (4) больше максимального (1)"),
    (lambda r, s, t: (r, -s, t), "отрицательными"),
    (lambda r, s, t: (r.assign(mark=r["mark"] + 10), s, t), "«mark»"),
    (lambda r, s, t: (r.assign(journal_mark=7.0), s, t), "«journal_mark»"),
    (lambda r, s, t: (r, s, t.assign(level="Z")), "«level»"),
    (lambda r, s, t: (r.assign(primary_score=99.0), s, t), "«primary_score»"),
    (lambda r, s, t: (r.assign(school_id=np.nan), s, t), "«school_id»"),
])
def test_contract_violations_get_a_russian_message(spoil, message):
    results, scores, tasks = spoil(hand_results(), hand_task_scores(), hand_tasks())
    with pytest.raises(ContractError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_inputs(results, scores, tasks, max_score=MAX_SCORE, boundaries=BOUNDARIES)


def test_boundaries_must_increase():
    with pytest.raises(ContractError, match="Границы отметок"):
        check_inputs(hand_results(), hand_task_scores(), hand_tasks(), max_score=MAX_SCORE,
                     boundaries={"3": 12, "4": 10, "5": 15})


def test_procedure_input_checks_on_creation():
    with pytest.raises(ContractError):
        ProcedureInput(key="x", year=2021, subject="MA", grade=4, results=hand_results(),
                       task_scores=hand_task_scores()[:3], tasks=hand_tasks(), max_score=MAX_SCORE,
                       boundaries=BOUNDARIES)
