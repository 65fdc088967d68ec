"""Finding things on the portal's pages the way a user does: by the menu, headings and labelled figures."""
import re

# A page or a click answers within seconds; the two heavy requests (an import with its recomputation, a PDF
# rendering) run their job inside the request here (eager Celery) and wait on their own, longer timeout.
STEP_TIMEOUT_MS = 15_000
JOB_REQUEST_TIMEOUT_MS = 120_000


def menu_link(page, label: str):
    """An entry of the main menu (the same words may also appear as a link on the page itself)."""
    return page.get_by_role("navigation", name="Главное меню").get_by_role("link", name=label, exact=True)


def stat(page, label: str):
    """The figure of a `.stat` tile by its caption («сохранено участников» → «1884»)."""
    return page.locator(".stat", has_text=label).locator(".stat-value")


def submit_and_wait_for_job(page, button: str):
    """Submits a form whose request runs a whole job, then waits for the job page it redirects to."""
    from playwright.sync_api import expect

    page.get_by_role("button", name=button).click(no_wait_after=True)
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"), timeout=JOB_REQUEST_TIMEOUT_MS)
