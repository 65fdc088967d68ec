"""Every page and report built on a procedure with quarantined rows says how many rows were left out."""
from django.template.loader import render_to_string
from django.urls import reverse
import pytest

from assessments.models import QuarantinedRow, ResultBatch
from assessments.stats.models import Level
from assessments.stats.selectors import Group, left_out_rows
from reports.rendering import procedure_context
from rsoko.orgs.models import Organization

from .factories import stored_statistics

pytestmark = pytest.mark.django_db


def quarantine(procedure, school, count, *, resolved=False):
    batch = ResultBatch.objects.create(procedure=procedure, filename="r.xlsx", format="export", mode="quarantine",
                                       rows=count)
    QuarantinedRow.objects.bulk_create([
        QuarantinedRow(batch=batch, procedure=procedure, school=school, row_number=n + 2, participant_code=str(n),
                       cells={}, reasons=["Строка 2, столбец «балл за 1»: балл «3» больше максимального"],
                       resolved=resolved) for n in range(count)])


@pytest.fixture
def procedure(world):
    procedure = stored_statistics(world)
    quarantine(procedure, world.school_a1, 2)
    quarantine(procedure, world.school_b1, 1)
    quarantine(procedure, world.school_a2, 4, resolved=True)  # fixed since: counted nowhere
    return procedure


def test_one_selector_counts_the_rows_of_the_groups_area(world, procedure):
    assert left_out_rows(procedure) == 3
    assert left_out_rows(procedure, Group(Level.MUNICIPALITY, municipality=world.mun_a)) == 2
    assert left_out_rows(procedure, Group(Level.SCHOOL, school=world.school_b1)) == 1
    assert left_out_rows(procedure, Group(Level.SCHOOL, school=world.school_a2)) == 0


def test_the_analytics_page_says_how_many_rows_were_left_out(world, procedure, client_for):
    url = reverse("stats:procedure_analytics", args=[procedure.code])
    page = client_for("ministry").get(url).content.decode()
    assert "Не вошли в расчёт 3 строки из карантина" in page
    page = client_for("centre").get(url).content.decode()
    assert "Не вошли в расчёт 3 строки из карантина" in page and "Открыть карантин" in page
    page = client_for("school_head").get(url).content.decode()
    assert "Не вошли в расчёт 2 строки из карантина" in page
    page = client_for("ministry").get(url, {"school": world.school_a2.pk}).content.decode()
    assert "из карантина" not in page


def test_the_procedure_report_says_it_too(world, procedure):
    context = procedure_context(procedure)
    assert context["a"].left_out == 3
    html = render_to_string("reports/pdf/procedure.html", context)
    assert "Не вошли в расчёт 3 строки из карантина: в них ошибки, они ждут исправления." in html


def test_the_pupil_table_page_says_it_for_its_school(world, procedure, client_for):
    url = f"/analytics/procedures/{procedure.code}/pupils/individual/?school={world.school_a1.pk}"
    page = client_for("ministry").get(url).content.decode()
    assert "Не вошли в расчёт 2 строки из карантина" in page
    page = client_for("ministry").get(url.replace(str(world.school_a1.pk), str(world.school_a2.pk))).content.decode()
    assert "из карантина" not in page


def test_the_statistics_api_gives_each_rows_count_from_the_same_selector(world, procedure, client_for):
    answer = client_for("ministry").get("/api/v1/statistics/", {"procedure": procedure.code, "page_size": 500}).json()
    rows = answer["results"]
    assert rows, "the stored statistics are listed"
    for row in rows:
        level = row["level"]
        group = Group(level if level != Level.CLASS else Level.SCHOOL,
                      municipality=world.mun_a if row["municipality"] == world.mun_a.pk else
                      world.mun_b if row["municipality"] == world.mun_b.pk else None,
                      school=Organization.objects.filter(pk=row["school"]).first())
        assert row["left_out_rows"] == left_out_rows(procedure, group), row
    by_level = {(row["level"], row["school"]): row["left_out_rows"] for row in rows}
    assert by_level[("region", None)] == 3
    assert by_level[("school", world.school_a1.pk)] == 2
    assert by_level[("school", world.school_a2.pk)] == 0  # its rows were fixed


def test_one_statistics_row_by_id_has_its_count_too(world, procedure, client_for):
    row_id = client_for("ministry").get("/api/v1/statistics/", {"procedure": procedure.code, "level": "region"}).json()
    answer = client_for("ministry").get(f"/api/v1/statistics/{row_id['results'][0]['id']}/").json()
    assert answer["left_out_rows"] == 3
