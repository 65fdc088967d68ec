"""Scale validation, conditions, reference scales."""
from django.core.exceptions import ValidationError
import pytest

from assessments.catalog.selectors import reference_scale_for
from assessments.catalog.services import scale_apply_reference, scale_set
from assessments.models import ReferenceScale
from assessments.scales import (ScaleData, boundaries_from_firsts, describe_boundaries, parse_conditions,
                                parse_test_scores, validate_scale)

from .factories import ProcedureFactory, add_tasks, kind, subject

GEOMETRY = {str(n): 2 for n in range(15, 20)}


def test_a_correct_marks_scale_has_no_errors():
    assert validate_scale(ScaleData({"3": 6, "4": 10, "5": 15}), grading="marks", max_score=20, task_max={}) == []


def test_boundaries_must_rise_and_stay_within_the_maximum():
    errors = validate_scale(ScaleData({"3": 10, "4": 10, "5": 21}), grading="marks", max_score=20, task_max={})
    assert errors == [
        "Границы должны возрастать: «3» с 10, «4» с 10, «5» с 21 — каждая следующая отметка начинается с большего балла.",
        "Отметка «5» начинается с 21 баллов, а максимальный первичный балл — 20.",
    ]


def test_missing_boundary_is_named():
    errors = validate_scale(ScaleData({"3": 6, "5": 15}), grading="marks", max_score=20, task_max={})
    assert errors == ["Не указан первый балл отметки «4»."]


def test_conditions_must_name_existing_tasks_and_reachable_points():
    ok = {"marks": ["3", "4", "5"], "tasks": ["15", "16"], "min_points": 2}
    assert validate_scale(ScaleData({"3": 8, "4": 15, "5": 22}, [ok]), grading="marks", max_score=31,
                          task_max=GEOMETRY) == []
    unknown = {"marks": ["3"], "tasks": ["15", "99"], "min_points": 2}
    too_many = {"marks": ["3"], "tasks": ["15"], "min_points": 3}
    bad_mark = {"marks": ["6"], "tasks": ["15"], "min_points": 1}
    errors = validate_scale(ScaleData({"3": 8, "4": 15, "5": 22}, [unknown, too_many, bad_mark]), grading="marks",
                            max_score=31, task_max=GEOMETRY)
    assert errors == [
        "Условие 1: в спецификации нет заданий 99.",
        "Условие 2: требуется 3 баллов, а за задания 15 можно получить не более 2.",
        "Условие 3: отметки должны быть из «3», «4», «5».",
    ]


def test_test_score_table_must_cover_every_primary_score_and_not_fall():
    errors = validate_scale(ScaleData(test_scores=[0, 10, 5]), grading="test_score", max_score=3, task_max={})
    assert errors == [
        "Таблица перевода должна содержать 4 значений (первичные баллы 0…3), а содержит 3.",
        "Тестовый балл не может убывать: первичный балл 2 даёт меньше, чем 1.",
    ]
    assert validate_scale(ScaleData(), grading="test_score", max_score=3, task_max={}) == [
        "Для процедуры с тестовыми баллами укажите таблицу перевода первичных баллов в тестовые."
    ]


def test_pass_fail_needs_a_pass_score_within_the_maximum():
    assert validate_scale(ScaleData(), grading="pass_fail", max_score=5, task_max={}) == [
        "Для процедуры «зачёт/незачёт» укажите первый балл, дающий зачёт."
    ]
    assert validate_scale(ScaleData(pass_score=6), grading="pass_fail", max_score=5, task_max={}) == [
        "Порог зачёта 6 должен быть от 1 до максимального балла 5."
    ]


def test_text_inputs_parse_or_explain():
    assert boundaries_from_firsts("6, 10, 15") == {"3": 6, "4": 10, "5": 15}
    with pytest.raises(ValueError, match="три целых числа"):
        boundaries_from_firsts("6,10")
    assert parse_conditions("3,4,5 | 15,16 | 2\n\n") == [{"marks": ["3", "4", "5"], "tasks": ["15", "16"], "min_points": 2}]
    with pytest.raises(ValueError, match="Строка 1 условий"):
        parse_conditions("3,4,5 15 2")
    assert parse_test_scores("0, 5; 9") == [0, 5, 9]
    with pytest.raises(ValueError, match="«x»"):
        parse_test_scores("0, x")
    assert describe_boundaries({"3": 6, "4": 10, "5": 15}, 20) == [("2", "0–5"), ("3", "6–9"), ("4", "10–14"), ("5", "15–20")]


def test_scale_set_checks_conditions_against_the_procedure_tasks(db):
    procedure = ProcedureFactory(kind=kind("ОГЭ"), year=2027, grade=9, code="OGE-2027-MA-9")
    add_tasks(procedure, {**{str(n): 1 for n in range(1, 15)}, **GEOMETRY, "20": 2, "21": 2, "22": 2, "23": 2,
                          "24": 2, "25": 2})
    condition = {"marks": ["3", "4", "5"], "tasks": ["15", "16", "17"], "min_points": 2}
    scale = scale_set(actor=None, procedure=procedure, data=ScaleData({"3": 8, "4": 15, "5": 22}, [condition]))
    assert scale.conditions == [condition]
    with pytest.raises(ValidationError, match="нет заданий 26"):
        scale_set(actor=None, procedure=procedure,
                  data=ScaleData({"3": 8, "4": 15, "5": 22}, [{**condition, "tasks": ["26"]}]))


def test_official_vpr_2021_scales_are_shipped_as_reference_data(db):
    scales = {(r.subject.code, r.grade): (r.max_score, r.boundaries)
              for r in ReferenceScale.objects.filter(kind__code="ВПР", year=2021)}
    assert scales == {
        ("MA", 4): (20, {"3": 6, "4": 10, "5": 15}), ("RU", 4): (38, {"3": 14, "4": 24, "5": 33}),
        ("MA", 5): (20, {"3": 7, "4": 11, "5": 15}), ("RU", 5): (45, {"3": 18, "4": 29, "5": 39}),
    }
    assert all(r.source for r in ReferenceScale.objects.all())


def test_the_nearest_earlier_reference_is_offered_and_labelled(db):
    procedure = ProcedureFactory(year=2023, code="VPR-2023-MA-4")
    reference = reference_scale_for(procedure)
    assert (reference.year, reference.boundaries) == (2021, {"3": 6, "4": 10, "5": 15})
    scale = scale_apply_reference(actor=None, procedure=procedure, reference=reference)
    assert scale.boundaries == {"3": 6, "4": 10, "5": 15}
    assert scale.source.startswith("Эталонная шкала ВПР-2021 (ближайший предшествующий год к 2023)")
    assert reference_scale_for(ProcedureFactory(year=2020, code="VPR-2020-MA-4")) is None
    assert reference_scale_for(ProcedureFactory(subject=subject("BI"), code="VPR-2021-BI-4")) is None


def test_a_reference_for_another_maximum_is_refused(db):
    procedure = ProcedureFactory(max_score=18, code="VPR-2021-MA-4")
    with pytest.raises(ValidationError, match="максимум 20 баллов"):
        scale_apply_reference(actor=None, procedure=procedure, reference=reference_scale_for(procedure))
