"""Results read from the stored statistics: region and municipalities shown, groups under 10 hidden,
schools never listed, the objectivity index published without school names."""
import pytest

from tests.public.fixtures import computed_statistics


@pytest.fixture
def procedure(world):
    return computed_statistics(world)


def test_region_and_municipality_figures_are_published(procedure, client):
    html = client.get(f"/public/results/{procedure.code}/").content.decode()
    assert "94,6" in html  # region success: 100 − 5.4
    assert "41,9" in html  # Альфинский: share of «4»
    assert "Бетинский городской округ" in html and "«Скрыто»: менее 10 участников" in html
    assert "28,5" not in html and "85,7" not in html  # the small municipality's figures
    assert "Школа А1" not in html and "33,3" not in html  # no school rows


def test_the_json_hides_the_small_municipality_entirely_except_its_name(procedure, client):
    data = client.get(f"/api/v1/public/results/{procedure.code}/").json()
    assert data["region"]["participants"] == 112 and data["region"]["quality"] == 64.2
    small = next(row for row in data["municipalities"] if row["name"] == "Бетинский городской округ")
    assert small == {"code": small["code"], "name": "Бетинский городской округ", "suppressed": True}
    assert "participants" not in small


def test_calendar_and_feed_link_to_published_results(procedure, client):
    assert f"/public/results/{procedure.code}/" in client.get("/public/calendar/?year=2026").content.decode()
    embed = client.get("/public/embed.json?year=2026").json()
    assert [r["procedure"]["code"] for r in embed["results"]] == [procedure.code]
    assert embed["objectivity"]["index"] == 92.5


def test_a_region_under_ten_pupils_is_not_published(world, client):
    from assessments.stats.models import StatisticRow

    procedure = computed_statistics(world)
    StatisticRow.objects.filter(procedure=procedure, level="region").update(participants=9)
    html = client.get(f"/public/results/{procedure.code}/").content.decode()
    assert "готовятся к публикации" in html and "94,6" not in html


def test_objectivity_page_shows_the_index_and_no_school(procedure, client):
    html = client.get("/public/objectivity/?year=2026").content.decode()
    assert "92,5" in html and "Школа А1" not in html
    assert client.get("/public/objectivity/?year=1999").status_code == 200  # unknown year: latest shown
