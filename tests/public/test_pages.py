"""Public pages: no sign-in, their own layout (no staff menu), landmarks and labels, linkable filters."""
import re

import pytest

from tests.public.fixtures import calendar_procedures, finished_procedure

PAGES = ["/public/", "/public/calendar/", "/public/results/", "/public/objectivity/"]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_for_anonymous_with_the_public_layout(url, world, client):
    calendar_procedures(world)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'href="#main"' in html  # skip link
    assert "Главное меню" not in html and "/registry/" not in html  # no staff navigation
    headings = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert headings[0] == 1 and headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:])), f"headings skip a level: {headings}"
    assert "csrftoken" not in response.cookies and "sessionid" not in response.cookies


def test_signed_in_users_see_the_same_public_page(world, client_for):
    calendar_procedures(world)
    html = client_for("ministry").get("/public/calendar/?year=2026").content.decode()
    assert "Главное меню" not in html and "RPR-2026-MA-6" in html


def test_procedure_results_page_exists_for_finished_procedures_only(world, client):
    finished = finished_procedure(world)
    assert client.get(f"/public/results/{finished.code}/").status_code == 200
    assert client.get("/public/results/RPR-2026-MA-6/").status_code == 404  # planned, not finished
    calendar_procedures(world)
    assert client.get("/public/results/RPR-2026-MA-6/").status_code == 404


def test_results_are_announced_as_not_yet_published_while_aggregates_do_not_exist(world, client):
    finished = finished_procedure(world)
    html = client.get(f"/public/results/{finished.code}/").content.decode()
    assert "готовятся к публикации" in html
    assert "не рассчитан" in client.get("/public/objectivity/").content.decode()


def test_small_municipalities_are_shown_without_figures(world, client, monkeypatch):
    from rsoko.public import selectors
    from rsoko.public.suppression import suppress_small_groups

    rows = suppress_small_groups([
        {"name": "Альфинский район", "participants": 250, "marks": {"2": 4.0, "3": 30.1, "4": 45.5, "5": 20.4},
         "success": 96.0, "quality": 65.9},
        {"name": "Малый район", "participants": 7, "marks": {"2": 14.3, "3": 42.9, "4": 28.6, "5": 14.2},
         "success": 85.7, "quality": 42.8},
    ])
    monkeypatch.setattr(selectors, "municipality_results", lambda procedure: rows)
    html = client.get(f"/public/results/{finished_procedure(world).code}/").content.decode()
    assert "45,5" in html  # Russian decimal comma
    assert "Малый район" in html and "«Скрыто»: менее 10 участников" in html
    assert "42,9" not in html and "85,7" not in html


def test_pages_are_cached_per_url_including_the_query(world, client):
    from datetime import date

    from tests.kimbank.factories import make_procedure

    calendar_procedures(world)
    first = client.get("/public/calendar/?year=2026").content.decode()
    make_procedure("RDR-2026-RU-7", kind_code="РДР", subject_code="RU", day=date(2026, 4, 20))
    assert client.get("/public/calendar/?year=2026").content.decode() == first  # served from the cache
    assert "RDR-2026-RU-7" in client.get("/public/calendar/?year=2026&month=4").content.decode()  # another URL


def test_printable_stylesheet_and_focus_styles_exist():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "public.css").read_text()
    assert "@media print" in css and ":focus-visible" in css


def test_only_roadmaps_the_ministry_published_are_shown(world, client):
    from tests.public.fixtures import public_roadmaps

    published, hidden = public_roadmaps(world)
    listing = client.get("/public/roadmaps/").content.decode()
    assert f"/public/roadmaps/{published.pk}/" in listing and f"/public/roadmaps/{hidden.pk}/" not in listing
    detail = client.get(f"/public/roadmaps/{published.pk}/").content.decode()
    assert "Статистический анализ результатов ВПР" in detail and "до 15 октября 2025 года" in detail
    assert client.get(f"/public/roadmaps/{hidden.pk}/").status_code == 404
    assert f"/public/roadmaps/{published.pk}/" in client.get("/public/").content.decode()
