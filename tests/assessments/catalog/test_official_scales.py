"""The official ВПР scales ship as data and are applied by default; --scale and the form only override them."""
from django.core.management import call_command
from django.urls import reverse
import pytest

from assessments.catalog.official_scales import OFFICIAL_SCALES
from assessments.catalog.selectors import official_scale
from assessments.models import Procedure, ProcedureKind, ReferenceScale, Scale, Subject
from assessments.scales import validate_scale, ScaleData


def vpr():
    return ProcedureKind.objects.get(slug="VPR")


def add(capsys, *args) -> str:
    call_command("add_procedure", "--kind", "ВПР", *args)
    return capsys.readouterr().out


def test_every_shipped_scale_is_loaded_valid_and_sourced(db):
    for scale in OFFICIAL_SCALES:
        stored = ReferenceScale.objects.get(kind__slug=scale.kind, subject__code=scale.subject, grade=scale.grade,
                                            year=scale.year)
        assert (stored.max_score, stored.boundaries) == (scale.max_score, scale.boundaries)
        assert validate_scale(ScaleData(stored.boundaries), grading="marks", max_score=stored.max_score, task_max={}) == []
        assert stored.source


def test_the_official_scale_is_the_one_of_exactly_that_year(db):
    ma = Subject.objects.get(code="MA")
    assert official_scale(kind=vpr(), subject=ma, grade=4, year=2021).boundaries == {"3": 6, "4": 10, "5": 15}
    assert official_scale(kind=vpr(), subject=ma, grade=4, year=2022) is None  # another year's kit may differ
    assert official_scale(kind=vpr(), subject=Subject.objects.get(code="RU"), grade=4, year=2026).max_score == 24


def test_add_procedure_applies_the_official_scale_by_default(db, capsys):
    out = add(capsys, "--year", "2021", "--subject", "RU", "--grade", "5")
    procedure = Procedure.objects.get(code="VPR-2021-RU-5")
    assert (procedure.max_score, procedure.scale.boundaries) == (45, {"3": 18, "4": 29, "5": 39})
    assert "Применена официальная шкала ВПР-2021, русский язык, 5 класс: «3» с 18, «4» с 29, «5» с 39 из 45" in out
    assert procedure.scale.source.startswith("Эталонная шкала ВПР-2021:")


def test_scale_option_overrides_the_official_scale(db, capsys):
    out = add(capsys, "--year", "2021", "--subject", "MA", "--grade", "4", "--scale", "5,9,14", "--max", "20")
    assert Procedure.objects.get().scale.boundaries == {"3": 5, "4": 9, "5": 14}
    assert "Шкала задана параметром --scale." in out


def test_no_official_scale_is_said_and_nothing_is_guessed(db, capsys):
    out = add(capsys, "--year", "2022", "--subject", "MA", "--grade", "4")
    assert not Scale.objects.exists()
    assert "Официальной шкалы ВПР-2022, математика, 4 класс в справочнике нет: задайте шкалу вручную" in out


def test_another_maximum_keeps_the_official_scale_out(db, capsys):
    out = add(capsys, "--year", "2021", "--subject", "MA", "--grade", "4", "--max", "18")
    assert not Scale.objects.exists()
    assert "рассчитана на максимум 20 баллов, а у процедуры — 18" in out


def test_the_web_form_applies_the_official_scale(client_for):
    client = client_for("centre")
    response = client.post(reverse("catalog:procedure_create"), {
        "kind": vpr().pk, "year": 2021, "subject": Subject.objects.get(code="MA").pk, "grade": 5, "title": "",
        "code": "", "variants": ""}, follow=True)
    assert response.status_code == 200
    procedure = Procedure.objects.get(code="VPR-2021-MA-5")
    assert procedure.scale.boundaries == {"3": 7, "4": 11, "5": 15} and procedure.max_score == 20
    assert "Применена официальная шкала ВПР-2021, математика, 5 класс" in response.content.decode()


def test_the_web_form_says_when_there_is_no_official_scale(client_for):
    response = client_for("centre").post(reverse("catalog:procedure_create"), {
        "kind": vpr().pk, "year": 2024, "subject": Subject.objects.get(code="BI").pk, "grade": 5, "title": "",
        "code": "", "variants": ""}, follow=True)
    assert not Scale.objects.exists()
    assert "Официальной шкалы ВПР-2024, биология, 5 класс в справочнике нет" in response.content.decode()
