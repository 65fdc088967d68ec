"""A school head opens its school's analytics of a procedure and cannot reach another school's."""
import re

from playwright.sync_api import expect
import pytest

from tests.stats.factories import analysed_procedure

from .pages import menu_link, stat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def procedure(world):
    """14 pupils in each of А1 (the head's school), А2 (same municipality) and Б1, recomputed."""
    return analysed_procedure(world)


def test_a_school_head_sees_its_school_and_not_another(sign_in, procedure, world):
    page = sign_in("school_head")
    menu_link(page, "Результаты процедур").click()
    page.get_by_role("link", name="ВПР · Математика · 4 класс").click()

    expect(page).to_have_url(re.compile(rf"/analytics/procedures/{procedure.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Математика, 4 класс — Школа А1")
    expect(stat(page, "участников")).to_have_text("14")
    expect(page.get_by_role("heading", name="Классы")).to_be_visible()
    own_page = page.content()
    assert "Школа А2" not in own_page and "Школа Б1" not in own_page

    others = [f"/analytics/procedures/{procedure.code}/?school={world.school_a2.pk}",
              f"/analytics/procedures/{procedure.code}/?school={world.school_b1.pk}",
              f"/analytics/procedures/{procedure.code}/?municipality={world.mun_b.pk}",
              f"/analytics/objectivity/{world.school_b1.code}/",
              f"/results/versions/{procedure.code}/{world.school_a2.code}/"]
    for path in others:
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
        text = page.content()
        assert "Школа А2" not in text and "Школа Б1" not in text and world.mun_b.name not in text, path
