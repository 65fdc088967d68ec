"""The role home pages, the map and the Russia figures at 1366 px: nothing sticks out of the page or its cards.

Set RSOKO_SCREENSHOTS=<folder> to keep a full-page screenshot of each page checked (for review by eye).
"""
import os
from pathlib import Path

from playwright.sync_api import expect
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The page's own width against the window, and every card and chart against its parent.
OVERFLOW = """() => {
    const sticking = [...document.querySelectorAll(".card, .chart, .tile-grid, .attention-list")]
        .filter(element => element.scrollWidth > element.clientWidth + 1 && !element.closest(".table-wrap"))
        .map(element => element.className + ": " + element.scrollWidth + " > " + element.clientWidth);
    return {page: document.documentElement.scrollWidth, viewport: window.innerWidth, sticking};
}"""


@pytest.fixture
def region(world):
    from monitoring.services import indicators_refresh
    from tests.fieldwork.matrix_objects import objects as fieldwork_objects
    from tests.monitoring.factories import TODAY, build

    build(world)
    indicators_refresh("2026", today=TODAY)
    fieldwork_objects(world)
    return world


def fits(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    box = page.evaluate(OVERFLOW)
    assert box["page"] <= box["viewport"] and not box["sticking"], (page.url, box)
    folder = os.environ.get("RSOKO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("persona, heading", [
    ("ministry", "Требует внимания"), ("coordinator", "Требует внимания"),
    ("school_head", "Ваша школа в перечнях"), ("expert", "Требует внимания"),
])
def test_each_personas_home_page_says_what_needs_attention_and_fits_1366(sign_in, region, persona, heading):
    page = sign_in(persona)
    page.goto("/")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".attention-list, .home-standing").first).to_be_visible()
    fits(page, f"home-{persona}")


def test_the_map_the_dynamics_and_the_russia_figures_fit_1366(sign_in, region):
    page = sign_in("ministry")
    page.goto("/monitoring/map/?indicator=vpr_quality&period=2026")
    expect(page.locator(".tile-grid .tile")).to_have_count(2)
    fits(page, "map-tiles")
    page.goto("/monitoring/indicators/vpr_quality/?period=2026")
    expect(page.locator('[data-chart="dynamics-data"] svg')).to_be_visible()
    fits(page, "indicator-dynamics")
    page.goto("/monitoring/russia/")
    fits(page, "russia-figures")


def test_an_uploaded_map_is_drawn_as_a_choropleth(sign_in, region):
    from monitoring.services import map_upload
    from tests.monitoring.test_map_and_russia import collection, feature

    map_upload(actor=region.user("ministry"), filename="region.geojson", raw=collection(
        feature({"name": region.mun_a.name}),
        feature({"name": region.mun_b.name}, coordinates=[[[1, 0], [1, 1], [2, 1], [2, 0], [1, 0]]])))
    page = sign_in("coordinator")
    page.goto("/monitoring/map/?indicator=vpr_quality&period=2026")
    expect(page.locator(".map-chart svg path").first).to_be_attached()
    fits(page, "map-choropleth")
