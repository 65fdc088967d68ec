"""The map of municipalities (uploaded boundaries or a tile grid), Russia's figures and dynamics over all years."""
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from assessments.stats.models import RussiaMarks
from monitoring import geo
from monitoring.models import Indicator, IndicatorValue, MunicipalityMap, RussiaValue
from monitoring.services import indicators_refresh
from tests.monitoring.factories import TODAY, build

pytestmark = pytest.mark.django_db
SQUARE = [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]


def feature(properties, geometry_type="Polygon", coordinates=SQUARE):
    return {"type": "Feature", "properties": properties, "geometry": {"type": geometry_type, "coordinates": coordinates}}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False).encode()


@pytest.fixture
def region(world):
    build(world)
    indicators_refresh("2026", today=TODAY)
    return world


# ---- reading and matching GeoJSON (pure) ----

@pytest.mark.parametrize("raw, words", [
    (b"\xff\xfe{}", "не в кодировке UTF-8"),
    (b'{"type": "FeatureCollection", "features": [', "не является JSON: строка 1"),
    (b'{"type": "Feature"}', "Нужен GeoJSON типа FeatureCollection"),
    (b'{"type": "FeatureCollection", "features": []}', "нет объектов"),
    (collection(feature({"name": "Район"}, "Point", [0, 0])), "Объект № 1 («Район»): геометрия типа «Point»"),
    (collection(feature({"name": "Район"}, coordinates=[])), "нет координат"),
    (collection(feature({"area": 5})), "нет названия или кода муниципалитета"),
])
def test_a_wrong_file_is_refused_with_a_russian_message_naming_the_problem(raw, words):
    with pytest.raises(geo.GeoJSONError, match=re.escape(words)):
        geo.read(raw)


def test_features_match_by_code_first_then_by_name_without_the_filler_words():
    municipalities = [(1, "Альфинский муниципальный район", "reg22_m010"), (2, "Бетинский городской округ", "m2"),
                      (3, "Гаммовский район", "m3")]
    result = geo.match([feature({"name": "что угодно", "code": "REG22_M010"}), feature({"name": "г. о. Бетинский"}),
                        feature({"NAME": "Дельтинский район"})], municipalities)
    assert [f["properties"]["rsoko_id"] for f in result.features] == [1, 2]
    assert result.features[1]["properties"]["name"] == "Бетинский городской округ"
    assert result.unmatched == ["Дельтинский район"] and result.missing == ["Гаммовский район"]


# ---- pages ----

def test_without_boundaries_the_map_is_a_tile_grid_coloured_by_the_indicator(region, client_for):
    page = client_for("ministry").get("/monitoring/map/?indicator=vpr_quality&period=2026").content.decode()
    assert 'class="tile-grid"' in page and "Границы муниципалитетов не загружены" in page
    assert region.mun_a.name in page and region.mun_b.name in page
    assert 'data-geo="region-geo"' not in page


def test_the_ministry_uploads_boundaries_and_the_map_becomes_a_choropleth(region, client_for):
    client = client_for("ministry")
    upload = SimpleUploadedFile("region.geojson", collection(
        feature({"name": "Альфинский район"}), feature({"name": "Бетинский ГО"}), feature({"name": "Чужой район"})))
    response = client.post("/monitoring/map/upload/", {"file": upload}, follow=True)
    page = response.content.decode()
    assert "сопоставлено муниципалитетов — 2" in page and "Чужой район" in page
    geo_map = MunicipalityMap.objects.get()
    assert geo_map.unmatched == ["Чужой район"] and geo_map.uploaded_by == region.user("ministry")
    page = client.get("/monitoring/map/?indicator=vpr_quality&period=2026").content.decode()
    assert 'data-geo="region-geo"' in page and '"type": "map"' in page


def test_a_broken_boundaries_file_is_refused_and_nothing_is_stored(region, client_for):
    upload = SimpleUploadedFile("region.geojson", b"\xc3\x28 not json")
    page = client_for("ministry").post("/monitoring/map/upload/", {"file": upload}).content.decode()
    assert "не в кодировке UTF-8" in page and not MunicipalityMap.objects.exists()
    upload = SimpleUploadedFile("region.geojson", collection(feature({"name": "Чужой район"})))
    page = client_for("ministry").post("/monitoring/map/upload/", {"file": upload}).content.decode()
    assert "Ни один объект файла не сопоставлен" in page and not MunicipalityMap.objects.exists()


@pytest.mark.parametrize("query", ["indicator=%00", "indicator=" + "x" * 5000, "period=%00", "period=20%FF26",
                                   "period=" + "9" * 5000, "indicator=%C3%28&period=2026Q9"])
def test_odd_parameters_never_give_a_server_error(region, client_for, query):
    for persona in ("ministry", "coordinator", "school_head"):
        for path in ("/monitoring/map/", "/monitoring/indicators/vpr_quality/", "/"):
            expected = (400,) if "%00" in query else (200, 404)  # a NUL is refused with 400 before any view (rsoko.errors)
            assert client_for(persona).get(f"{path}?{query}").status_code in expected


def test_the_russian_figures_are_entered_checked_and_shown_beside_the_region(region, client_for):
    client = client_for("ministry")
    indicator = Indicator.objects.get(code="vpr_quality")
    bad = client.post("/monitoring/russia/", {"form": "marks", "marks-procedure": RussiaMarks._meta.get_field(
        "procedure").related_model.objects.get(code="VPR-2026-MA-4").pk, "marks-pct_2": "10", "marks-pct_3": "40",
        "marks-pct_4": "30", "marks-pct_5": "10"}).content.decode()
    assert "Сумма долей «2»–«5» равна 90,0 %" in bad and not RussiaMarks.objects.exists()
    response = client.post("/monitoring/russia/", {"form": "value", "value-indicator": indicator.pk,
                                                   "value-period": "2026", "value-value": "55,5"})
    assert response.status_code == 302 and RussiaValue.objects.get().value == 55.5
    page = client.get("/monitoring/indicators/vpr_quality/").content.decode()
    assert "Динамика за все периоды" in page and "Россия" in page


def test_dynamics_cover_every_year_held_for_the_region_and_the_users_municipality(region, client_for):
    indicator = Indicator.objects.get(code="vpr_quality")
    for year, value in (("2023", 41.0), ("2024", 44.0), ("2025", 47.0)):
        IndicatorValue.objects.update_or_create(indicator=indicator, period=year, key="region",
                                                defaults={"level": "region", "value": value})
    RussiaValue.objects.create(indicator=indicator, period="2024", value=50.0)
    from monitoring import selectors

    coordinator = region.user("coordinator")
    dynamics = selectors.indicator_dynamics(coordinator, indicator, selectors.own_groups(coordinator, indicator))
    assert dynamics["periods"][:3] == ["2023", "2024", "2025"] and "2026" in dynamics["periods"]
    titles = [title for title, _ in dynamics["series"]]
    assert titles[0] == "Регион" and region.mun_a.name in titles and region.mun_b.name not in titles
    assert dict(dynamics["series"])["Россия"][:2] == [None, 50.0]


def test_a_comparison_of_many_indicators_is_split_into_readable_charts():
    from monitoring import charts

    rows = [{"name": f"Показатель {n}", "unit": "%", "mechanism": "1.1" if n < 11 else "2.2", "g0": n, "g1": 50.0}
            for n in range(14)]
    parts = charts.comparison_parts(rows, ["ОО", "Регион"])
    sizes = [len(part["chart"]["yAxis"]["data"]) for part in parts]
    assert sizes == [8, 3, 3] and all(size <= charts.CHART_INDICATORS for size in sizes)
    assert parts[0]["title"].startswith("1.1 ") and parts[2]["title"].startswith("2.2 ")
    assert len({part["id"] for part in parts}) == 3


def test_the_map_shows_a_user_with_two_memberships_both_areas_and_the_empty_area_nothing(region, client):
    from rsoko.orgs.choices import Role
    from rsoko.orgs.models import Membership
    from tests.factories import UserFactory

    IndicatorValue.objects.filter(indicator__code="vpr_quality", period="2026", level="municipality") \
        .update(value=12.5)
    user = UserFactory(username="two_roles")
    Membership.objects.create(user=user, organization=region.school_b1, role=Role.SCHOOL_HEAD)
    Membership.objects.create(user=user, organization=region.mouo_a, role=Role.MUNICIPAL_COORDINATOR)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/monitoring/map/?indicator=vpr_quality&period=2026").content.decode()
    assert page.count('<span class="tile-value">12,5</span>') == 2  # А as coordinator, Б as the school's municipality
    nobody = UserFactory(username="no_roles")
    client.force_login(nobody, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/monitoring/map/").status_code == 403
    assert client.get("/monitoring/russia/").status_code == 403


def test_a_coordinator_sees_no_other_municipalitys_value_on_the_map(region, client_for):
    IndicatorValue.objects.filter(indicator__code="vpr_quality", period="2026", level="municipality") \
        .update(value=12.5)
    page = client_for("coordinator").get("/monitoring/map/?indicator=vpr_quality&period=2026").content.decode()
    assert page.count('<span class="tile-value">12,5</span>') == 1


@pytest.mark.parametrize("value", ["%00", "9" * 5000, "%FF%FE", "nan", "inf"])
def test_odd_russian_figures_are_refused_in_russian_without_a_server_error(region, client_for, value):
    indicator = Indicator.objects.get(code="vpr_quality")
    body = f"form=value&value-indicator={indicator.pk}&value-period={value}&value-value={value}"
    response = client_for("ministry").post("/monitoring/russia/", body,
                                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and not RussiaValue.objects.exists()
    assert "has-error" in response.content.decode()


def test_tile_colours_follow_the_indicators_direction_better_is_green():
    from monitoring import charts

    assert charts.tile_color(10, (10, 20), "higher") == charts.SCALE[0]
    assert charts.tile_color(20, (10, 20), "higher") == charts.SCALE[-1]
    assert charts.tile_color(10, (10, 20), "lower") == charts.SCALE[-1]  # fewer «2»: better
    assert charts.tile_color(None, (10, 20), "lower") == charts.NO_VALUE
    assert charts.tile_color(5, (5, 5), "higher") == charts.SCALE[2]  # one value only: the middle
