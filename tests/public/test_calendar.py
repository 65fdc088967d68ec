"""The public calendar: filters by year, month, kind and level live in the query string."""
import pytest

from tests.public.fixtures import calendar_procedures


@pytest.fixture
def calendar(world):
    return calendar_procedures(world)


def codes(client, query=""):
    html = client.get(f"/public/calendar/{query}").content.decode()
    return {code for code in ("RPR-2026-MA-6", "MPR-2026-RU-5", "VPR-2026-MA-4") if f'id="p-{code}"' in html}


def test_the_year_shows_every_procedure_with_dates(calendar, client):
    assert codes(client, "?year=2026") == {"RPR-2026-MA-6", "MPR-2026-RU-5", "VPR-2026-MA-4"}


def test_month_filter(calendar, client):
    assert codes(client, "?year=2026&month=4") == {"RPR-2026-MA-6"}
    assert codes(client, "?year=2026&month=10") == {"MPR-2026-RU-5"}
    assert codes(client, "?year=2026&month=1") == set()


def test_kind_filter(calendar, client):
    assert codes(client, "?year=2026&kind=MPR") == {"MPR-2026-RU-5"}


def test_level_filter(calendar, client):
    assert codes(client, "?year=2026&level=regional") == {"RPR-2026-MA-6"}
    assert codes(client, "?year=2026&level=federal") == {"VPR-2026-MA-4"}
    assert codes(client, "?year=2026&level=municipal&month=10") == {"MPR-2026-RU-5"}


def test_a_bad_value_in_a_shared_link_is_ignored_not_an_error(calendar, client):
    response = client.get("/public/calendar/?year=2026&month=13&level=galactic")
    assert response.status_code == 200
    assert codes(client, "?year=2026&month=13&level=galactic") == {"RPR-2026-MA-6", "MPR-2026-RU-5", "VPR-2026-MA-4"}


def test_a_procedure_spanning_two_months_shows_in_both(world, client):
    from datetime import date

    from assessments.models import Procedure
    from tests.kimbank.factories import make_procedure

    procedure = make_procedure("RDR-2026-MA-8", kind_code="РДР", day=date(2026, 4, 28))
    Procedure.objects.filter(pk=procedure.pk).update(date_end=date(2026, 5, 5))
    assert 'id="p-RDR-2026-MA-8"' in client.get("/public/calendar/?year=2026&month=4").content.decode()
    assert 'id="p-RDR-2026-MA-8"' in client.get("/public/calendar/?year=2026&month=5").content.decode()


def test_filter_controls_are_labelled(calendar, client):
    html = client.get("/public/calendar/").content.decode()
    for name in ("year", "month", "kind", "level"):
        assert f'<label for="id_{name}">' in html and f'id="id_{name}"' in html
