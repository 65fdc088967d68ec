"""The official ВПР scales ship as data and are applied by default; --scale and the form only override them."""
from pathlib import Path
import re

from django.core.management import call_command
from django.urls import reverse
import openpyxl
import pytest

from assessments.catalog.official_scales import OFFICIAL_SCALES
from assessments.catalog.selectors import official_scale
from assessments.codifier import parse_codifier_rows
from assessments.models import Procedure, ProcedureKind, ReferenceScale, Scale, Subject
from assessments.scales import validate_scale, ScaleData
from assessments.synthetic import DEFAULT_SPECS

SHARED_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
RANGE = re.compile(r"«([2-5])»:?\s*(\d+)–(\d+)")
STATED_MAX = re.compile(r"[Мм]аксимальный первичный балл[^–\d]*–\s*(\d+)")


def by_key(scale):
    return f"{scale.subject}{scale.grade}-{scale.year}"


def quoted_ranges(quote: str) -> dict[str, tuple[int, int]]:
    return {mark: (int(low), int(high)) for mark, low, high in RANGE.findall(quote)}


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


@pytest.mark.parametrize("scale", OFFICIAL_SCALES, ids=by_key)
def test_each_scale_is_the_one_its_source_prints(scale):
    """The maximum and the first scores are read back out of the quoted ranges: a mistyped threshold fails."""
    ranges = quoted_ranges(scale.quote)
    assert sorted(ranges) == ["2", "3", "4", "5"], scale.quote
    assert ranges["2"][0] == 0 and ranges["5"][1] == scale.max_score
    for lower, upper in (("2", "3"), ("3", "4"), ("4", "5")):
        assert ranges[lower][1] + 1 == ranges[upper][0], f"{scale.quote}: «{lower}» и «{upper}» не стыкуются"
    assert (ranges["3"][0], ranges["4"][0], ranges["5"][0]) == scale.firsts
    assert 0 < scale.firsts[0] < scale.firsts[1] < scale.firsts[2] <= scale.max_score
    stated = STATED_MAX.search(scale.quote)
    assert stated is None or int(stated.group(1)) == scale.max_score


def test_one_scale_per_kit_with_a_source_that_fits_the_table():
    keys = [(s.kind, s.subject, s.grade, s.year) for s in OFFICIAL_SCALES]
    assert len(keys) == len(set(keys))  # a kit with two scales (profile classes, variants) is not listed
    limit = ReferenceScale._meta.get_field("source").max_length
    for scale in OFFICIAL_SCALES:
        assert scale.title and len(scale.source) <= limit, f"{by_key(scale)}: источник обрежется в справочнике"
        assert scale.url == "" or scale.url.startswith("https://")
        assert 2016 <= scale.year and 4 <= scale.grade <= 11


@pytest.mark.parametrize("scale", OFFICIAL_SCALES, ids=by_key)
def test_add_procedure_applies_every_shipped_scale_by_default(db, capsys, scale):
    out = add(capsys, "--year", str(scale.year), "--subject", scale.subject, "--grade", str(scale.grade))
    procedure = Procedure.objects.get(code=f"VPR-{scale.year}-{scale.subject}-{scale.grade}")
    assert (procedure.max_score, procedure.scale.boundaries) == (scale.max_score, scale.boundaries)
    third, fourth, fifth = scale.firsts
    assert f"«3» с {third}, «4» с {fourth}, «5» с {fifth} из {scale.max_score}" in out


def codifier_kits():
    """(subject, grade, year) → maximum of every real codifier in ../shared/data (codifier_vpr2021_ma4.xlsx)."""
    kits = {}
    for path in sorted(SHARED_DATA.glob("codifier_vpr*.xlsx")):
        found = re.fullmatch(r"codifier_vpr(\d{4})_([a-z]+)(\d+)\.xlsx", path.name)
        if not found:
            continue
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = [["" if value is None else str(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        year, subject, grade = found.groups()
        kits[(subject.upper(), int(grade), int(year))] = sum(task.max_score for task in parse_codifier_rows(rows))
    return kits


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is absent")
def test_shipped_maxima_equal_the_real_codifiers_of_the_same_year():
    kits = codifier_kits()
    checked = [s for s in OFFICIAL_SCALES if (s.subject, s.grade, s.year) in kits]
    assert checked, "ни одна шкала не сверена с кодификатором"
    for scale in checked:
        assert scale.max_score == kits[(scale.subject, scale.grade, scale.year)], by_key(scale)


def test_the_synthetic_2021_kits_add_up_to_the_shipped_scales():
    shipped = {(s.subject, s.grade): s for s in OFFICIAL_SCALES if s.year == 2021}
    for spec in DEFAULT_SPECS:
        scale = shipped[(spec.subject, spec.grade)]
        assert (spec.max_score, spec.boundaries) == (scale.max_score, scale.boundaries)
