"""Pupil-level tables of the procedure page (risk group, individual results): the page shows their counts and a link;
the rows come page by page from their own address, read by the same selectors as the Excel export."""
import io
import re

from openpyxl import load_workbook
import pytest

from assessments.stats import selectors, views
from assessments.stats.selectors import Group
from rsoko.audit.models import AuditEntry

from .factories import add_results, analysed_procedure, make_procedure

TABLES = ["risk", "individual"]


def procedure_page(procedure, query=""):
    return f"/analytics/procedures/{procedure.code}/{query}"


def pupil_page(procedure, table, query):
    return f"/analytics/procedures/{procedure.code}/pupils/{table}/?{query}"


def fragment(client, url):
    """What static/js/pupil-tables.js asks for: the table alone."""
    return client.get(url, headers={"X-Fragment": "1"})


def selector_rows(world, persona, procedure, table, school, class_name=None):
    level = "class" if class_name is not None else "school"
    group = Group(level, municipality=school.municipality, school=school, class_name=class_name or "")
    return list(selectors.PUPIL_TABLES[table].table(world.user(persona), procedure, group).iter_rows())


def codes(response):
    return [row["code"] for row in response.context["table"].iter_rows()]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 5 rows, so that the 14 pupils of a school make three pages."""
    monkeypatch.setattr(views, "PUPIL_PAGE_SIZE", 5)


# --- the procedure page ---------------------------------------------------------------------------------------

def test_the_school_page_shows_counts_and_links_but_no_pupil_rows(world, client_for):
    procedure = analysed_procedure(world)
    page = client_for("ministry").get(procedure_page(procedure, f"?school={world.school_a1.pk}"))
    html = page.content.decode()
    risk = selector_rows(world, "ministry", procedure, "risk", world.school_a1)
    individual = selector_rows(world, "ministry", procedure, "individual", world.school_a1)
    assert len(individual) == 14 and page.context["pupil_counts"] == {"risk": len(risk), "individual": 14}
    assert f"Группа риска: ниже базового уровня ({len(risk)})" in html and "Индивидуальные результаты (14)" in html
    for table in TABLES:
        url = pupil_page(procedure, table, f"school={world.school_a1.pk}").replace("&", "&amp;")
        assert f'data-pupil-table="{url}"' in html and f'<a href="{url}">Открыть таблицу</a>' in html
    assert not [row["code"] for row in individual if f">{row['code']}<" in html], "pupil codes in the page"
    assert "js/pupil-tables.js" in html


def test_a_school_head_without_a_school_in_the_address_gets_links_to_its_school(world, client_for):
    procedure = analysed_procedure(world)
    html = client_for("school_head").get(procedure_page(procedure)).content.decode()
    assert pupil_page(procedure, "risk", f"school={world.school_a1.pk}") in html


def test_a_class_page_links_to_the_class_rows_only(world, client_for):
    procedure = analysed_procedure(world)
    client = client_for("ministry")
    html = client.get(procedure_page(procedure, f"?school={world.school_a1.pk}&class=4А")).content.decode()
    assert f"school={world.school_a1.pk}&amp;class=4%D0%90" in html and "Индивидуальные результаты (7)" in html
    rows = fragment(client, pupil_page(procedure, "individual", f"school={world.school_a1.pk}&class=4А"))
    assert codes(rows) == [r["code"] for r in selector_rows(world, "ministry", procedure, "individual",
                                                             world.school_a1, "4А")]
    assert {row["class_name"] for row in rows.context["table"].iter_rows()} == {"4А"}


@pytest.mark.parametrize("query", ["", "?level=region"])
def test_the_region_page_has_no_pupil_tables(world, client_for, query):
    procedure = analysed_procedure(world)
    page = client_for("ministry").get(procedure_page(procedure, query))
    html = page.content.decode()
    assert page.context["pupil_counts"] == {}
    assert "Группа риска" not in html and "Индивидуальные результаты" not in html and "pupil-tables.js" not in html


def test_the_municipality_page_has_no_pupil_tables(world, client_for):
    procedure = analysed_procedure(world)
    page = client_for("coordinator").get(procedure_page(procedure, f"?municipality={world.mun_a.pk}"))
    assert page.context["pupil_counts"] == {} and "data-pupil-table" not in page.content.decode()


# --- the table's own address ----------------------------------------------------------------------------------

@pytest.mark.parametrize("table", TABLES)
def test_the_fragment_holds_the_selector_rows(world, client_for, table):
    procedure = analysed_procedure(world)
    response = fragment(client_for("coordinator"), pupil_page(procedure, table, f"school={world.school_a2.pk}"))
    expected = selector_rows(world, "coordinator", procedure, table, world.school_a2)
    assert expected and list(response.context["table"].iter_rows()) == expected
    html = response.content.decode()
    assert all(f">{row['code']}<" in html for row in expected)
    assert "<html" not in html and 'class="sidebar"' not in html, "the fragment is the table alone"
    assert "X-Fragment" in response["Vary"]


def test_without_js_the_link_opens_a_page_with_the_table_and_its_exports(world, client_for):
    procedure = analysed_procedure(world)
    response = client_for("ministry").get(pupil_page(procedure, "risk", f"school={world.school_a1.pk}"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html and "Группа риска — Школа А1" in html
    assert f'href="?school={world.school_a1.pk}&amp;export=xlsx"' in html
    assert f'href="/analytics/procedures/{procedure.code}/?school={world.school_a1.pk}"' in html, "the way back"
    assert "<script" not in html.split("</main>")[0].split('<main id="main"')[1], "no script inside the content"


@pytest.mark.parametrize("table", TABLES)
def test_pages_follow_one_another_in_the_selector_order(world, client_for, small_pages, table):
    # Школа А2 is the weak one: its risk group too spans pages.
    procedure = analysed_procedure(world)
    client = client_for("ministry")
    expected = [row["code"] for row in selector_rows(world, "ministry", procedure, table, world.school_a2)]
    count = -(-len(expected) // 5)
    pages = [codes(fragment(client, pupil_page(procedure, table, f"school={world.school_a2.pk}&page={n}")))
             for n in range(1, count + 1)]
    assert count >= 2
    assert [code for page in pages for code in page] == expected
    assert all(len(page) == 5 for page in pages[:-1]) and 0 < len(pages[-1]) <= 5


def test_the_pager_links_are_full_addresses_of_the_table_page(world, client_for, small_pages):
    procedure = analysed_procedure(world)
    url = pupil_page(procedure, "individual", f"school={world.school_a1.pk}&page=2")
    html = fragment(client_for("ministry"), url).content.decode()
    base = f"/analytics/procedures/{procedure.code}/pupils/individual/?school={world.school_a1.pk}&amp;page="
    assert f'data-pupil-page href="{base}1"' in html and f'data-pupil-page href="{base}3"' in html
    assert "Страница 2 из 3 · всего 14" in html


def test_a_big_school_is_cut_into_pages_of_fifty(world, client_for):
    procedure = make_procedure(code="VPR-2021-MA-4-BIG")
    add_results(procedure, world.school_a1, 120, skill=0.6, seed=7)
    client = client_for("school_head")
    first = fragment(client, pupil_page(procedure, "individual", f"school={world.school_a1.pk}"))
    last = fragment(client, pupil_page(procedure, "individual", f"school={world.school_a1.pk}&page=3"))
    assert len(codes(first)) == 50 and len(codes(last)) == 20
    assert "Страница 1 из 3 · всего 120" in first.content.decode()


@pytest.mark.parametrize("page, shown, notice", [
    ("99", 3, "Страницы 99 нет: всего страниц 3 — показана последняя."),
    ("abc", 1, "Номер страницы «abc» не распознан — показана первая страница."),
    ("0", 1, "Страницы 0 нет — показана первая страница."),
    ("-2", 1, "Страницы -2 нет — показана первая страница."),
    ("", 1, ""),
])
def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page_and_says_so(
        world, client_for, small_pages, page, shown, notice):
    procedure = analysed_procedure(world)
    response = client_for("ministry").get(pupil_page(procedure, "individual", f"school={world.school_a1.pk}&page={page}"))
    assert response.status_code == 200 and response.context["page_obj"].number == shown
    assert response.context["notice"] == notice
    if notice:
        assert notice in response.content.decode()


def test_a_long_page_parameter_is_cut_in_the_notice(world, client_for):
    procedure = analysed_procedure(world)
    response = client_for("ministry").get(pupil_page(procedure, "risk", f"school={world.school_a1.pk}&page={'x' * 5000}"))
    assert response.status_code == 200 and "«xxxxxxxxxxxxxxxxxxxx»" in response.content.decode()


def test_an_empty_risk_group_still_answers_with_an_empty_table(world, client_for):
    procedure = make_procedure(code="VPR-2021-MA-4-EMPTY")
    response = client_for("ministry").get(pupil_page(procedure, "risk", f"school={world.school_a1.pk}&page=2"))
    assert response.status_code == 200 and "Нет данных." in response.content.decode()


@pytest.mark.parametrize("url", [
    lambda p, w: f"/analytics/procedures/{p.code}/pupils/unknown/?school={w.school_a1.pk}",
    lambda p, w: f"/analytics/procedures/{p.code}/pupils/risk/",  # the ministry stands at the region
    lambda p, w: f"/analytics/procedures/{p.code}/pupils/risk/?municipality={w.mun_a.pk}",
    lambda p, w: f"/analytics/procedures/NO-SUCH-CODE/pupils/risk/?school={w.school_a1.pk}",
    lambda p, w: f"/analytics/procedures/{p.code}/pupils/individual/?school=abc",
    lambda p, w: f"/analytics/procedures/{p.code}/pupils/individual/?school=999999",
])
def test_an_address_without_a_pupil_table_is_not_found(world, client_for, url):
    response = client_for("ministry").get(url(analysed_procedure(world), world))
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


# --- exports: all rows, logged ----------------------------------------------------------------------------------

def test_the_procedure_page_export_holds_all_rows_not_one_page(world, client_for):
    procedure = make_procedure(code="VPR-2021-MA-4-BIG")
    add_results(procedure, world.school_a1, 120, skill=0.6, seed=7)
    response = client_for("ministry").get(procedure_page(procedure, f"?school={world.school_a1.pk}&export=xlsx&table=individual"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][1] == "Код участника" and len(rows) == 1 + 120


@pytest.mark.parametrize("table, title", [("risk", "Группа риска"), ("individual", "Индивидуальные результаты")])
def test_the_table_page_export_holds_all_rows_and_is_logged(world, client_for, small_pages, table, title):
    procedure = analysed_procedure(world)
    expected = selector_rows(world, "ministry", procedure, table, world.school_a2)
    AuditEntry.objects.all().delete()
    response = client_for("ministry").get(pupil_page(procedure, table, f"school={world.school_a2.pk}&page=2&export=csv"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 1 + len(expected) > 1 + 5
    assert title in AuditEntry.objects.get(action="export").object_repr


def test_viewing_a_page_of_the_table_is_not_an_export(world, client_for):
    # As before: reading the rows on the page was never logged; downloads are.
    procedure = analysed_procedure(world)
    AuditEntry.objects.all().delete()
    fragment(client_for("ministry"), pupil_page(procedure, "individual", f"school={world.school_a1.pk}"))
    assert not AuditEntry.objects.filter(action="export").exists()


# --- the script ---------------------------------------------------------------------------------------------------

def test_the_script_asks_for_the_fragment_and_keeps_the_link_when_loading_fails():
    from django.contrib.staticfiles import finders

    script = open(finders.find("js/pupil-tables.js"), encoding="utf-8").read()
    assert re.search(r'FRAGMENT_HEADER = "X-Fragment"', script) and views.FRAGMENT_HEADER == "X-Fragment"
    assert "Не удалось загрузить таблицу." in script and "response.redirected" in script


def test_pupils_come_in_the_order_a_teacher_counts_them(world, client_for):
    """«4Б» before «10А», and «…-2» before «…-10»; string order would put them the other way round."""
    from assessments.models import ParticipantResult

    procedure = make_procedure()
    add_results(procedure, world.school_a1, 4, skill=0.6, seed=3)
    results = list(ParticipantResult.objects.filter(procedure=procedure).order_by("pk"))
    for result, (class_name, code) in zip(results, [("10А", "P-1"), ("4Б", "P-10"), ("4Б", "P-2"), ("4Б", "P-1")]):
        result.class_name, result.participant_code = class_name, code
    ParticipantResult.objects.bulk_update(results, ["class_name", "participant_code"])
    group = Group("school", municipality=world.mun_a, school=world.school_a1)
    ordered = selectors.individual_results(world.user("ministry"), procedure, group)
    assert [(r.class_name, r.participant_code) for r in ordered] == [
        ("4Б", "P-1"), ("4Б", "P-2"), ("4Б", "P-10"), ("10А", "P-1")]
