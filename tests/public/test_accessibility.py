"""axe-core in headless Chromium over every public page: no serious or critical violations.

Needs /usr/bin/chromium and node_modules/axe-core (npm ci). In CI (RSOKO_REQUIRE_SERVICES=1) a missing
browser or axe-core fails the test; on a developer's machine it is skipped.
"""
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, missing_browser_tools
from tests.builtin_rows import restore_builtin_rows
from tests.conftest import require_services
from tests.public.fixtures import calendar_procedures, computed_statistics, public_roadmaps

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["/public/", "/public/calendar/", "/public/calendar/?year=2026&month=4&level=regional", "/public/results/",
         "/public/results/VPR-2026-MA-4/", "/public/objectivity/", "/public/roadmaps/", "/public/roadmaps/{roadmap}/"]
BLOCKING = {"serious", "critical"}
# The live server needs committed data, so these tests run in transactional mode (the database is flushed
# after each one and the built-in catalog from the data migration is put back by `public_site`).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def missing_tools() -> str:
    problems = missing_browser_tools()
    if not AXE.exists():
        problems.append(f"{AXE.relative_to(ROOT)} is missing (npm ci)")
    return "; ".join(problems)


@pytest.fixture
def public_site(world, live_server):
    """Data first: once Playwright's loop runs in this thread, Django refuses database calls here."""
    restore_builtin_rows()  # a previous transactional test's flush removed the catalog
    calendar_procedures(world)
    computed_statistics(world)  # real aggregates on the pages, school rows among them
    return SimpleNamespace(url=live_server.url, roadmap=public_roadmaps(world)[0].pk)


@pytest.fixture
def browser_page(public_site):
    problem = missing_tools()
    if problem:
        if require_services():
            pytest.fail(f"Accessibility check cannot run: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # The portal's CSP forbids inline scripts; axe is injected by the test, not served by the site.
        context = browser.new_context(bypass_csp=True, locale="ru-RU")
        yield context.new_page()
        browser.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


def test_public_pages_have_no_serious_accessibility_violations(public_site, browser_page):
    report = {}
    for path in PAGES:
        path = path.format(roadmap=public_site.roadmap)
        response = browser_page.goto(f"{public_site.url}{path}")
        assert response.status == 200, f"{path}: {response.status}"
        blocking = [v for v in axe_violations(browser_page) if v["impact"] in BLOCKING]
        if blocking:
            report[path] = blocking
    assert not report, f"axe-core found serious/critical violations: {report}"


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_main(public_site, browser_page):
    browser_page.goto(f"{public_site.url}/public/calendar/")
    browser_page.keyboard.press("Tab")
    assert browser_page.evaluate("document.activeElement.textContent.trim()") == "Перейти к содержанию"
    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "main"


def test_the_check_catches_a_bad_page(browser_page):
    """Guards against a silently broken injection: axe must flag an unlabelled field and a missing alt."""
    browser_page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    found = {v["id"] for v in axe_violations(browser_page) if v["impact"] in BLOCKING}
    assert {"image-alt", "label"} <= found
