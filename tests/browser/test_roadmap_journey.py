"""A municipal office reports on its roadmap item: status and comment saved, then seen in the history."""
import re

from playwright.sync_api import expect
import pytest

from roadmaps.choices import ExecutionStatus
from tests.roadmaps.factories import roadmap_world

from .pages import menu_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMMENT = "Совещание проведено 12 ноября, протокол № 7 размещён на сайте управления."


@pytest.fixture
def assignment(world):
    """Item 1.2 of the regional roadmap («Совещание с руководителями МОУО»), assigned to the coordinator's МОУО."""
    return roadmap_world(world).assignment_a


def test_a_municipal_office_reports_on_its_item_and_sees_it_in_the_history(sign_in, assignment, world):
    page = sign_in("coordinator")
    menu_link(page, "Мои пункты").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои пункты дорожных карт")
    row = page.get_by_role("row").filter(has_text="Совещание с руководителями МОУО")
    row.get_by_role("link", name="Отчитаться").click()

    expect(page).to_have_url(re.compile(rf"/roadmaps/assignments/{assignment.pk}/$"))
    expect(page.get_by_text("Статус ещё не менялся.")).to_be_visible()
    page.get_by_label("Статус").select_option(label=ExecutionStatus.DONE.label)
    page.get_by_label("Комментарий о ходе исполнения").fill(COMMENT)
    page.get_by_role("button", name="Сохранить").click()

    expect(page.get_by_text("Статус сохранён.")).to_be_visible()
    history = page.locator("section", has=page.get_by_role("heading", name="История изменений")).locator("tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text(ExecutionStatus.DONE.label)
    expect(history).to_contain_text(COMMENT)
    expect(history).to_contain_text("форма")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.comment) == (ExecutionStatus.DONE, COMMENT)

    menu_link(page, "Мои пункты").click()
    row = page.get_by_role("row").filter(has_text="Совещание с руководителями МОУО")
    expect(row).to_contain_text(ExecutionStatus.DONE.label)
    expect(row).to_contain_text(COMMENT[:60])
