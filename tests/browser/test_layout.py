"""Layout at common screen widths: wide tables stay inside their cards, form controls show their whole text.

The widths: 1024 (a small laptop), 1350 (a 1366 px screen less a classic desktop scrollbar; headless Chromium's
scrollbars take no room) and 1920.
"""
import io
import os
from pathlib import Path
import shutil

from playwright.sync_api import expect
import pytest

from .pages import menu_link
from .sweep import sweep_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the table's own width, its scroll box, its card and the page stand, in CSS pixels.
TABLE_BOX = """table => {
    const wrap = table.closest(".table-wrap"), card = table.closest(".card");
    return {table: table.scrollWidth, wrap: wrap.clientWidth, wrapScrolls: getComputedStyle(wrap).overflowX === "auto",
            cardContent: card.scrollWidth, card: card.clientWidth,
            page: document.documentElement.scrollWidth, viewport: window.innerWidth};
}"""

# The widest option's text against the room a select leaves for it: its inner width less the padding and the
# drop-down arrow (about 20 px in Chromium). A canvas measures the text in the select's own font.
SELECT_ROOM = """select => {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widest = Math.max(...[...select.options].map(option => context.measureText(option.text).width));
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    return {widest: Math.ceil(widest), room: Math.floor(room)};
}"""


@pytest.fixture
def region(world):
    from monitoring.services import indicators_refresh
    from tests.monitoring.factories import TODAY, build

    build(world)
    indicators_refresh("2026", today=TODAY)
    return world


def test_the_municipalities_table_fits_its_card_and_scrolls_inside_it_on_a_small_screen(sign_in, region):
    page = sign_in("ministry")
    menu_link(page, "Панель мониторинга").click()
    table = page.locator("section.card", has_text="Муниципалитеты рядом").locator("table")
    expect(table).to_contain_text(region.mun_a.name)
    for width in (1350, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        box = table.evaluate(TABLE_BOX)
        assert box["table"] <= box["wrap"], (width, box)  # every column visible without scrolling
        assert box["cardContent"] <= box["card"] and box["page"] <= box["viewport"], (width, box)
    page.set_viewport_size({"width": 1024, "height": 800})
    box = table.evaluate(TABLE_BOX)
    assert box["wrapScrolls"] and box["table"] > box["wrap"], box  # too narrow: the table scrolls in its box…
    assert box["cardContent"] <= box["card"] and box["page"] <= box["viewport"], box  # …and nothing sticks out


def test_the_upload_mode_select_shows_its_longest_option_whole(sign_in):
    page = sign_in("coordinator")
    menu_link(page, "Загрузка результатов").click()
    mode = page.get_by_label("Режим")
    for width in (1024, 1350, 1920):
        page.set_viewport_size({"width": width, "height": 800})
        room = mode.evaluate(SELECT_ROOM)
        assert room["widest"] <= room["room"], (width, room)


def test_the_roadmap_list_shows_every_column_at_1366_even_with_long_titles_and_orders(sign_in, world):
    from datetime import date

    from roadmaps.models import Roadmap
    from tests.roadmaps.factories import roadmap_world

    roadmap_world(world)
    Roadmap.objects.update(
        title="ДОРОЖНАЯ КАРТА по организации и проведению мероприятий по оценке качества общего образования на "
              "территории муниципального района в 2020/2021 учебном году",
        order_date=date(2021, 10, 1), order_number="317", period_first_year=2020, period_academic=True)
    page = sign_in("ministry")
    menu_link(page, "Дорожные карты").click()
    table = page.locator("table.rm-list")
    expect(table).to_contain_text("Статус")
    page.set_viewport_size({"width": 1350, "height": 800})
    widths = table.evaluate("table => [table.scrollWidth, table.closest('.table-wrap').clientWidth]")
    assert widths[0] <= widths[1], widths  # the status column is not hidden past the edge


WIDE_TABLES = """() => [...document.querySelectorAll(".table-wrap table")]
    .filter(table => table.scrollWidth > table.closest(".table-wrap").clientWidth + 1)
    .map(table => (table.querySelector("th") || {}).textContent)"""


@pytest.mark.parametrize("persona", ["ministry", "coordinator", "school_head"])
def test_no_page_of_the_menu_hides_table_columns_or_scrolls_sideways_at_1366(persona, sign_in, region):
    page = sign_in(persona)
    page.set_viewport_size({"width": 1350, "height": 800})
    links = page.eval_on_selector_all("nav a[href^='/']", "links => links.map(link => link.getAttribute('href'))")
    assert len(links) > 10
    problems = {}
    for href in dict.fromkeys(links):
        page.goto(href)
        wide = page.evaluate(WIDE_TABLES)
        sideways = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
        if wide or sideways:
            problems[href] = {"tables wider than their box (first heading)": wide, "page scrolls sideways": sideways}
    # The last page's own requests (the API page fetches its schema) must be over before the test's database is
    # flushed: the live server would still be reading it.
    page.wait_for_load_state("networkidle")
    assert not problems, problems


# ---- every menu page of the four personas, on the demo region and on a region loaded from the real files ----

SWEEP_SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "browser" / "sweep"
PERSONAS = ["ministry", "coordinator", "school_head", "expert"]


@pytest.fixture
def live_site(browser, live_server):
    """The live server with the built-in rows and nothing else: each test loads its own region."""
    from tests.builtin_rows import restore_builtin_rows

    from .conftest import import_every_view

    import_every_view()
    restore_builtin_rows()
    return live_server.url


@pytest.fixture
def open_as(browser, live_site):
    """open_as(username, password) → a signed-in page (the demo's and the real region's own users)."""
    from .conftest import signed_in_page

    contexts = []
    yield lambda username, password: signed_in_page(browser, live_site, username, password, contexts)
    for context in contexts:
        context.close()


def sweep_personas(open_as, logins: dict[str, tuple[str, str]], region: str) -> dict:
    """Each persona's menu; the home page's screenshot is also copied to RSOKO_SWEEP_SHOTS when it is set."""
    problems = {}
    for persona, (username, password) in logins.items():
        page = open_as(username, password)
        found = sweep_menu(page, SWEEP_SHOTS / region, persona)
        page.wait_for_load_state("networkidle")  # the last page's own requests end before the database is flushed
        if found:
            problems[persona] = found
        keep = os.environ.get("RSOKO_SWEEP_SHOTS")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(SWEEP_SHOTS / region / f"{persona}-01-home.png", Path(keep) / f"{region}-{persona}-home.png")
    return problems


def test_every_menu_page_of_the_four_personas_on_the_demo_region_answers_and_fits_the_screen(open_as):
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    logins = {persona: (login, f"{login}-demo-2026") for persona, login in
              zip(PERSONAS, ["ministry", "coordinator", "schoolhead", "expert"])}
    problems = sweep_personas(open_as, logins, "demo")
    assert not problems, problems


def test_every_menu_page_of_the_four_personas_on_a_region_of_real_files_answers_and_fits_the_screen(open_as):
    from tests.conftest import require_services

    from .real_region import DATA, PASSWORD, load_real_region, real_files_present

    if not real_files_present():
        if require_services():
            pytest.fail(f"CI must load the real ФИС ОКО files: {DATA} is incomplete")
        pytest.skip(f"the real ФИС ОКО files are not in {DATA}")
    users = load_real_region()
    problems = sweep_personas(open_as, {persona: (users[persona].username, PASSWORD) for persona in PERSONAS}, "real")
    assert not problems, problems
