"""Browser journeys: headless Chromium (Playwright) against pytest-django's live server.

One Chromium per package run (starting it costs about a second); each test gets fresh browser contexts, so
cookies never leak between personas. Personas sign in through the real login form.

In CI (RSOKO_REQUIRE_SERVICES=1) a missing Chromium or Playwright fails the tests; elsewhere they are skipped.
A failing test leaves a full-page screenshot of each open page in test-results/browser/.
"""
import os
from pathlib import Path
import re

import pytest

from tests.builtin_rows import restore_builtin_rows
from tests.conftest import PASSWORD, require_services

from .chromium import CHROMIUM, CHROMIUM_ARGS, missing_browser_tools
from .pages import STEP_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "browser"


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the package.

    While Playwright runs, its event loop is marked running in this thread and Django refuses ORM calls here
    as "async-unsafe". The loop only runs inside Playwright's own calls (greenlets, no concurrency with the
    test's code), so the check is switched off for exactly as long as the browser lives.
    """
    problems = missing_browser_tools()
    if problems:
        if require_services():
            pytest.fail("Browser tests cannot run: " + "; ".join(problems))
        pytest.skip("; ".join(problems))
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def import_every_view():
    """The first request would import every view module (pandas, scipy, …): many seconds on a busy machine,
    spent inside a page load's timeout. Importing them here, once, keeps page timeouts about pages."""
    from django.urls import get_resolver

    get_resolver().url_patterns


@pytest.fixture
def site(browser, world, live_server):
    """The live server's address, with the `world` region and the built-in rows committed."""
    import_every_view()
    restore_builtin_rows()
    return live_server.url


@pytest.fixture
def sign_in(browser, site):
    """sign_in("coordinator") → a page in a fresh browser context, signed in through the login form."""
    contexts = []

    def open_as(persona: str):
        return signed_in_page(browser, site, persona, PASSWORD, contexts)

    yield open_as
    for context in contexts:
        context.close()


def signed_in_page(browser, base_url: str, username: str, password: str, contexts: list):
    """A page of a fresh browser context (kept in `contexts` to be closed), signed in through the login form."""
    from playwright.sync_api import expect

    context = browser.new_context(base_url=base_url, locale="ru-RU", viewport={"width": 1366, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Логин").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves test-results/browser/<test>.png (one file per open page)."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "browser" in item.funcargs:
        save_screenshots(item.funcargs["browser"], item.name)


def save_screenshots(browser, test_name: str) -> list[Path]:
    pages = [page for context in browser.contexts for page in context.pages if not page.is_closed()]
    stem = re.sub(r"[^\w.-]+", "_", test_name)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for number, page in enumerate(pages, start=1):
        path = SCREENSHOTS / (f"{stem}.png" if number == 1 else f"{stem}-{number}.png")
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"screenshot of {page.url} failed: {exc}")
            continue
        saved.append(path)
    return saved
