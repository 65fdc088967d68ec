"""Guard: every staff page that shows a table offers it as Excel and CSV, and the links work.

The pages come from the permission matrix (each app's permission_cases.py), so a new page is checked as soon as
it gets its permission case. Each page is opened as a persona allowed to see it; when its HTML has a <table>,
the page must carry the export links (includes/export_links.html) and every link must answer with an xlsx
that opens and a CSV with the same header. Pages with a table and no export are listed in WITHOUT_EXPORT with
the reason (a reviewed list); the public site (for anonymous visitors, not staff) is outside this rule.
"""
from html import unescape
import io
import re

import pytest
from openpyxl import load_workbook

from rsoko.exports import XLSX_TYPE
from rsoko.jobs.models import Job

from .test_permission_matrix import CASES, case_modules

# Pages that show a table but offer no export, each with the reason (reviewed; keep it short).
WITHOUT_EXPORT = {
    "catalog:tasks_edit": "a form: the table holds input fields of the specification being edited",
    "fieldwork:assignment_check": "a form: the expert types the scores of one work",
    "fieldwork:my_works": "the expert's own work list; the expert downloads its blank (my_template) instead",
    "fieldwork:expert_detail": "one expert's card: the table lists the expert's courses, a few lines",
    "roadmaps:roadmap_timeline": "a chart drawn as a table grid; the document's table is exported on its page",
    "roadmaps:roadmap_import": "the preview of a file being uploaded: the data is the user's own file",
    "roadmaps:assignment_detail": "one item's status history, a few lines on the item's card",
    "kimbank:variant_tasks": "a form: the table holds input fields of the variant's tasks",
    "kimbank:school_materials": "a school's current materials to download, a few lines with download links",
    "orgs:user_detail": "one user's roles, a few lines beside the form that changes them",
    "decisions:case_assign": "a form: the table holds the checkboxes of the schools to assign; the list is exported",
}
PUBLIC = "public:"  # the open site: published documents for visitors, not the portal's staff tables
# Personas tried in this order: the widest view first, so the page shows its table with rows.
PREFERENCE = ["ministry", "centre", "methodologist", "coordinator", "school_head", "expert", "api_client"]
EXPORT_LINK = re.compile(r'href="\?([^"]*export=xlsx[^"]*)"')


def staff_pages(cases):
    """One (case, persona) per distinct GET page that some signed-in persona may open."""
    seen, pages = set(), []
    for case in cases:
        if case.api or case.method != "get":
            continue
        persona = next((p for p in PREFERENCE if case.expect.get(p) == 200), None)
        if persona is None or (case.route, case.url) in seen:
            continue
        seen.add((case.route, case.url))
        pages.append((case, persona))
    return pages


@pytest.fixture
def guard_world(world):
    world.job = Job.objects.create(kind="test", title="Тестовое задание", handler="x.y", created_by=world.user("ministry"))
    return world


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def export_problem(client, path: str, query: str) -> str | None:
    xlsx_url = f"{path}?{unescape(query)}"
    response = client.get(xlsx_url)
    if response.status_code != 200 or response["Content-Type"] != XLSX_TYPE:
        return f"{xlsx_url}: {response.status_code} {response.get('Content-Type')}"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    header = next(sheet.iter_rows(values_only=True), None)
    if not header or not all(isinstance(title, str) and title for title in header):
        return f"{xlsx_url}: no header row"
    csv_text = download(client, xlsx_url.replace("export=xlsx", "export=csv")).decode("utf-8")
    if not csv_text.startswith("\ufeff") or csv_text[1:].split("\r\n", 1)[0].split(";")[0] != header[0]:
        return f"{xlsx_url}: the CSV does not start with the same header"
    return None


def page_problems(client, case, url: str) -> tuple[bool, list[str]]:
    """(whether the page shows a table that must be exported, what is wrong with it)."""
    response = client.get(url)
    if response.status_code != 200:
        return False, [f"{url}: {response.status_code}"]
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return False, []  # a file download, not a page
    html = response.content.decode()
    if "<table" not in html or case.route in WITHOUT_EXPORT or case.route.startswith(PUBLIC):
        return False, []
    links = sorted(set(EXPORT_LINK.findall(html)))
    if not links:
        return True, [f"{url} ({case.route}) shows a table without Excel/CSV export links"]
    return True, [problem for query in links if (problem := export_problem(client, url.split("?")[0], query))]


MODULES = case_modules()


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__.split(".")[1] for m in MODULES])
def test_every_page_with_a_table_exports_it(module, guard_world, client_for):
    # One world per app's cases (the permission matrix builds one per case): the objects the cases need are built
    # on first use and kept on the world, and this keeps the guard to seconds per app instead of minutes.
    problems, with_tables = [], 0
    for case, persona in staff_pages(module.CASES):
        has_table, found = page_problems(client_for(persona), case, case.url(guard_world))
        with_tables += has_table
        problems += found
    assert not problems, "\n".join(problems)
    # Every app but the public site has staff tables: none found means the guard stopped reaching them.
    assert with_tables or module.__name__ == "tests.public.permission_cases", f"{module.__name__}: no page had a table"


def test_every_allow_listed_page_is_still_a_route():
    routes = {case.route for case in CASES}
    assert set(WITHOUT_EXPORT) <= routes, sorted(set(WITHOUT_EXPORT) - routes)
