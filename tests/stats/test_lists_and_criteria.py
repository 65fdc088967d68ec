"""ШНОР and high-results lists, risk groups and deficits, criteria editing, the federal list import."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.stats.models import FederalMark, ObjectivityCriterion, RiskPupil, SchoolListEntry
from assessments.stats.services import FederalListError, federal_list_import
from rsoko.audit.models import AuditEntry
from rsoko.jobs.models import Job

from .factories import analysed_procedure


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_federal_list_is_imported_in_both_layouts(world):
    federal_list_import(actor=None, name="f.xlsx", data=xlsx([["Код ОО", "Год", "Маркеры"], ["sch990001", 2021, "4 РУ; 5 ма"]]))
    assert FederalMark.objects.get(school=world.school_a1, year=2021).markers == "4 РУ, 5 МА"
    federal_list_import(actor=None, name="f.xlsx", data=xlsx([["Логин", "Год", "4 РУ", "4 МА"],
                                                              ["edu990002", 2022, "", "1"]]))
    assert FederalMark.objects.get(school=world.school_a2, year=2022).markers == "4 МА"


@pytest.mark.parametrize("rows, message", [
    ([["Код ОО", "Год", "Маркеры"], ["sch999999", 2021, "4 РУ"]], "ОО с кодом «sch999999» нет в реестре"),
    ([["Код ОО", "Год", "Маркеры"], ["школа", 2021, "4 РУ"]], "Строка 2, столбец «Код ОО»: «школа» — не логин ОО ФИС ОКО"),
    ([["Код ОО", "Год", "Маркеры"], ["sch990001", "21", "4 РУ"]], "Строка 2, столбец «Год»: «21»"),
    ([["Код ОО", "Год", "Маркеры"], ["sch990001", 2021, "русский"]], "Строка 2, столбец «Маркеры»: «русский»"),
    ([["Школа", "Год"], ["sch990001", 2021]], "Нужны столбцы «Код ОО», «Год» и «Маркеры»"),
])
def test_a_bad_federal_list_is_refused_whole(world, rows, message):
    good = ["sch990002", 2021, "4 РУ"]
    with pytest.raises(FederalListError) as error:
        federal_list_import(actor=None, name="f.xlsx", data=xlsx(rows + [good]))
    assert any(message in e for e in error.value.errors)
    assert not FederalMark.objects.exists()


def test_the_federal_list_page_takes_an_upload_from_the_ministry(world, client_for):
    data = xlsx([["Код ОО", "Год", "Маркеры"], ["sch990003", 2021, "5 МА"]])
    response = client_for("ministry").post("/analytics/federal-list/", {"file": SimpleUploadedFile("f.xlsx", data)})
    assert response.status_code == 302
    assert client_for("coordinator").get("/analytics/federal-list/").context["marks"].count() == 0


def test_changing_a_threshold_makes_a_new_version_and_starts_a_recomputation(world, client_for):
    analysed_procedure(world)
    response = client_for("ministry").post("/analytics/criteria/raised_marks/", {
        "is_active": "on", "raised_excess_pp": "25", "raised_alpha": "0.01"})
    criterion = ObjectivityCriterion.objects.get(code="raised_marks")
    assert criterion.version == 2 and criterion.params["raised_excess_pp"] == 25
    job = Job.objects.get(kind="analytics_recompute")
    assert response.url == f"/jobs/{job.pk}/"
    assert AuditEntry.objects.filter(model="stats.objectivitycriterion").exists()


def test_an_out_of_range_threshold_is_refused_with_a_field_message(world, client_for):
    response = client_for("ministry").post("/analytics/criteria/heaping/", {
        "is_active": "on", "heaping_alpha": "5", "heaping_min_pairs": "5"})
    assert response.status_code == 200
    assert response.context["form"].errors["heaping_alpha"]
    assert ObjectivityCriterion.objects.get(code="heaping").version == 1


def test_risk_pupils_are_codes_and_their_export_is_logged(world, client_for):
    procedure = analysed_procedure(world)
    assert RiskPupil.objects.filter(procedure=procedure).exists()
    client = client_for("school_head")
    expected = set(RiskPupil.objects.filter(school=world.school_a1).values_list("participant_code", flat=True))
    page = client.get(f"/analytics/procedures/{procedure.code}/")
    assert page.context["pupil_counts"]["risk"] == len(expected)
    codes = client.get(f"/analytics/procedures/{procedure.code}/pupils/risk/?school={world.school_a1.pk}")
    assert {row["code"] for row in codes.context["table"].rows} == expected
    client.get(f"/analytics/procedures/{procedure.code}/?export=xlsx&table=risk")
    assert AuditEntry.objects.filter(action="export", object_repr__contains="Группа риска").exists()


def test_school_deficits_are_shown_at_school_level(world, client_for):
    procedure = analysed_procedure(world)
    page = client_for("ministry").get(f"/analytics/procedures/{procedure.code}/?school={world.school_a2.pk}")
    assert page.context["a"].deficits, "the weak school А2 has deficits"
    assert {d["kind"] for d in page.context["a"].deficits} <= {"task", "skill"}


def test_the_shnor_page_lists_selected_schools_and_the_excluded_apart(world, client_for):
    SchoolListEntry.objects.create(year=2021, kind="low", school=world.school_a2,
                                   data={"selected": True, "mean_pct": 20.0, "reason": "В нижних 10 %", "size": 14})
    SchoolListEntry.objects.create(year=2021, kind="low", school=world.school_b1,
                                   data={"selected": False, "mean_pct": 21.0, "reason": "исключена: есть признаки"})
    page = client_for("ministry").get("/analytics/shnor/")
    assert [e.school for e in page.context["selected"]] == [world.school_a2]
    assert [e.school for e in page.context["excluded"]] == [world.school_b1]
    coordinator = client_for("coordinator").get("/analytics/shnor/")
    assert [e.school for e in coordinator.context["selected"]] == [world.school_a2] and not coordinator.context["excluded"]


def test_individual_results_are_codes_at_school_level_only_and_their_export_is_logged(world, client_for):
    procedure = analysed_procedure(world)
    client = client_for("ministry")
    region = client.get(f"/analytics/procedures/{procedure.code}/")
    assert region.context["pupil_counts"] == {}
    school = client.get(f"/analytics/procedures/{procedure.code}/pupils/individual/?school={world.school_a1.pk}")
    rows = list(school.context["table"].iter_rows())
    assert len(rows) == 14 and all(row["code"].startswith("1") for row in rows)
    assert set(rows[0]) >= {"class_name", "code", "t0", "t1", "t2", "primary_score", "mark"}
    client.get(f"/analytics/procedures/{procedure.code}/?school={world.school_a1.pk}&export=csv&table=individual")
    assert AuditEntry.objects.filter(action="export", object_repr__contains="Индивидуальные результаты").exists()
