"""A school head opens the pupil-level tables of its procedure page: the rows come when a table is opened and
page through in place; when loading fails, the link to the table's own page stays with a message."""
import re

from playwright.sync_api import expect
import pytest

from assessments.stats import views
from tests.stats.factories import analysed_procedure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def procedure(world, monkeypatch):
    """14 pupils in each school; pages of 5 rows (the live server runs in this process), so there are three."""
    monkeypatch.setattr(views, "PUPIL_PAGE_SIZE", 5)
    return analysed_procedure(world)


def pupil_details(page, table: str):
    return page.locator(f"details[data-pupil-table*='/pupils/{table}/']")


def test_the_individual_results_load_when_opened_and_page_in_place(sign_in, procedure):
    page = sign_in("school_head")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/analytics/procedures/{procedure.code}/")
    table = pupil_details(page, "individual")
    expect(table.locator("summary")).to_have_text("Показать таблицу (14)")
    expect(table.locator("tbody tr")).to_have_count(0)

    table.locator("summary").click()
    expect(table.locator(".pagination span")).to_have_text("Страница 1 из 3 · всего 14")
    expect(table.locator("tbody tr")).to_have_count(5)
    table.get_by_role("link", name="Вперёд →").click()
    expect(table.locator(".pagination span")).to_have_text("Страница 2 из 3 · всего 14")
    expect(page).to_have_url(re.compile(rf"/analytics/procedures/{procedure.code}/$"))  # still the procedure page
    assert not errors


def test_a_failed_load_keeps_the_link_to_the_table_page(sign_in, procedure):
    page = sign_in("school_head")
    page.route(re.compile(r"/pupils/risk/"), lambda route: route.abort())
    page.goto(f"/analytics/procedures/{procedure.code}/")
    table = pupil_details(page, "risk")
    table.locator("summary").click()
    expect(table.locator("[data-pupil-status]")).to_contain_text("Не удалось загрузить таблицу.")
    page.unroute(re.compile(r"/pupils/risk/"))
    table.get_by_role("link", name="Открыть таблицу").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Группа риска — Школа А1")
