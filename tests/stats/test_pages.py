"""The analytics pages and API read the precomputed rows, scoped: drill-down, benchmarks, exports."""
import io

from openpyxl import load_workbook
import pytest

from assessments.stats.models import ObjectivitySign

from .factories import analysed_procedure


def test_the_region_page_drills_down_to_municipalities_schools_and_classes(world, client_for):
    procedure = analysed_procedure(world)
    client = client_for("ministry")
    region = client.get(f"/analytics/procedures/{procedure.code}/")
    assert region.context["a"].group.level == "region"
    assert {row.municipality_id for row in region.context["a"].children} == {world.mun_a.pk, world.mun_b.pk}
    municipality = client.get(f"/analytics/procedures/{procedure.code}/?municipality={world.mun_a.pk}")
    assert {row.school_id for row in municipality.context["a"].children} == {world.school_a1.pk, world.school_a2.pk}
    school = client.get(f"/analytics/procedures/{procedure.code}/?school={world.school_a1.pk}")
    assert sorted(row.class_name for row in school.context["a"].children) == ["4А", "4Б"]
    klass = client.get(f"/analytics/procedures/{procedure.code}/?school={world.school_a1.pk}&class=4А")
    assert klass.context["a"].group.title == "Школа А1, класс 4А"


@pytest.mark.parametrize("query", ["?school=abc", "?municipality=1x", "?school=-1", "?school=²",
                                   "?school=99999999999999999999"])
def test_a_group_id_that_is_not_a_number_or_names_nothing_is_not_found(world, client_for, query):
    procedure = analysed_procedure(world)
    assert client_for("ministry").get(f"/analytics/procedures/{procedure.code}/{query}").status_code == 404


def test_a_school_head_starts_at_its_school_with_municipality_and_region_alongside(world, client_for):
    procedure = analysed_procedure(world)
    page = client_for("school_head").get(f"/analytics/procedures/{procedure.code}/")
    analytics = page.context["a"]
    assert analytics.group.school == world.school_a1
    assert [b.level for b, _ in analytics.benchmarks] == ["municipality", "region"]
    # nearest first in every chart, so each group keeps its place and colour from chart to chart
    marks = [s["name"] for s in page.context["marks_chart"]["series"]]
    assert marks == ["Школа А1", world.mun_a.name, "Регион"]
    tasks = [s["name"] for s in page.context["tasks_chart"]["series"]]
    assert tasks[1:] == ["Муниципалитет", "Регион"]


def test_a_coordinator_starts_at_its_municipality_and_sees_only_its_schools(world, client_for):
    procedure = analysed_procedure(world)
    page = client_for("coordinator").get(f"/analytics/procedures/{procedure.code}/")
    assert page.context["a"].group.municipality == world.mun_a
    region = client_for("coordinator").get(f"/analytics/procedures/{procedure.code}/?level=region")
    assert {row.municipality_id for row in region.context["a"].children} == {world.mun_a.pk}


def test_small_groups_carry_a_warning(world, client_for):
    procedure = analysed_procedure(world)
    page = client_for("ministry").get(f"/analytics/procedures/{procedure.code}/?school={world.school_a1.pk}")
    assert "меньше 50: распределение баллов неинформативно" in page.content.decode()


def test_the_children_export_has_the_rows_of_the_page(world, client_for):
    procedure = analysed_procedure(world)
    response = client_for("ministry").get(
        f"/analytics/procedures/{procedure.code}/?municipality={world.mun_a.pk}&export=xlsx&table=children")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "ОО" and sorted(r[0] for r in rows[1:]) == ["Школа А1", "Школа А2"]


def test_the_api_gives_a_school_head_its_school_and_the_benchmarks_only(world, client_for):
    procedure = analysed_procedure(world)
    api = client_for("school_head").get(f"/api/v1/statistics/?procedure={procedure.code}&form=marks&page_size=100").json()
    groups = {(row["level"], row["school"], row["municipality"]) for row in api["results"]}
    assert ("school", world.school_a1.pk, world.mun_a.pk) in groups
    assert ("region", None, None) in groups and ("municipality", None, world.mun_a.pk) in groups
    assert {row["school"] for row in api["results"] if row["school"]} == {world.school_a1.pk}
    assert all(row["municipality"] in (None, world.mun_a.pk) for row in api["results"])


def test_signs_are_listed_for_the_school_head_only_for_its_school(world, client_for):
    analysed_procedure(world)
    signs = client_for("school_head").get("/api/v1/objectivity-signs/?page_size=500").json()["results"]
    assert signs and {s["school"] for s in signs} == {world.school_a1.pk}
    assert ObjectivitySign.objects.exclude(school=world.school_a1).exists()


def test_the_objectivity_page_exports_the_filtered_signs(world, client_for):
    analysed_procedure(world)
    response = client_for("ministry").get("/analytics/objectivity/?flagged=false&export=csv")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffГод;Муниципалитет;Код ОО") and "Школа" in text


def test_the_objectivity_page_keeps_each_formula_of_an_explanation_on_one_line(world, client_for):
    analysed_procedure(world)
    page = client_for("ministry").get("/analytics/objectivity/?page_size=500").content.decode()
    explained = [s.explanation for s in ObjectivitySign.objects.all() if " = " in s.explanation]
    assert explained
    assert " = " not in page.split('id="main"')[-1] and "\u00a0=\u00a0" in page


def test_the_objectivity_filters_offer_all_yes_and_no_and_filter_by_them(world, client_for):
    analysed_procedure(world)
    client = client_for("ministry")
    page = client.get("/analytics/objectivity/").content.decode()
    assert '<option value="" selected>Все</option>' in page and "Неизвестно" not in page
    flagged_only = client.get("/analytics/objectivity/?flagged=true&export=csv")
    rows = b"".join(flagged_only.streaming_content).decode().splitlines()[1:]
    assert len(rows) == ObjectivitySign.objects.filter(flagged=True).count()


@pytest.mark.parametrize("path, field", [("/api/v1/statistics/", "school_code"),
                                         ("/api/v1/objectivity-signs/", "procedure"),
                                         ("/api/v1/objectivity-index/", "procedure")])
def test_region_and_year_rows_are_answered_as_the_schema_documents(world, client_for, path, field):
    # Found by the fuzz suite: a region row has no school and a sign over the year's procedures has no
    # procedure; the API said null where the schema promised a string. The year's index, likewise.
    from assessments.stats.models import ObjectivityIndex
    from tests.openapi_contract import assert_conforms

    analysed_procedure(world)
    ObjectivitySign.objects.create(year=2021, school=world.school_a1, criterion="cal_journal_residual", version=1,
                                   evaluated=True, flagged=False, explanation="")
    ObjectivityIndex.objects.create(year=2021, evaluated_schools=3, schools_with_signs=1, index=66.7)
    response = client_for("ministry").get(f"{path}?page_size=500")
    assert None in [row[field] for row in response.json()["results"]]
    assert_conforms(response, path)
