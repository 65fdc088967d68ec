"""Dashboards render from the precomputed values with a bounded number of queries, and show what they should."""
import pytest

from monitoring.models import Indicator, IndicatorValue
from rsoko.orgs.models import Municipality
from tests.factories import MunicipalityFactory, SchoolFactory

from .factories import TODAY, build

MAX_QUERIES = 20


def many_schools(world, municipalities: int, per_municipality: int):
    """Extra municipalities and schools with a value of every indicator at each of their levels."""
    for m in range(municipalities):
        municipality = MunicipalityFactory(region=world.region)
        for s in range(per_municipality):
            SchoolFactory(municipality=municipality, code=f"sch8{m:02d}{s:03d}")
    values = []
    indicators = list(Indicator.objects.all())
    from rsoko.orgs.models import Organization

    schools = list(Organization.objects.filter(kind="school"))
    for indicator in indicators:
        period = "2026" if indicator.periodicity == "year" else "2026Q4"
        values.append(IndicatorValue(indicator=indicator, period=period, level="region", key="region", value=50.0))
        for municipality in Municipality.objects.all():
            values.append(IndicatorValue(indicator=indicator, period=period, level="municipality",
                                         municipality=municipality, key=f"m{municipality.pk}", value=40.0))
        for school in schools:
            values.append(IndicatorValue(indicator=indicator, period=period, level="school", organization=school,
                                         municipality_id=school.municipality_id, key=f"s{school.pk}", value=30.0))
    IndicatorValue.objects.bulk_create(values)


@pytest.fixture
def big_world(world):
    build(world)
    many_schools(world, municipalities=8, per_municipality=25)
    # the world's own municipality A gets many schools too
    for s in range(40):
        SchoolFactory(municipality=world.mun_a, code=f"sch7{s:04d}")
    return world


@pytest.mark.parametrize("persona", ["ministry", "coordinator", "school_head", "methodologist", "expert"])
def test_each_dashboard_stays_within_the_query_bound(persona, big_world, client_for, django_assert_max_num_queries):
    client = client_for(persona)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/monitoring/?period=2026")
    assert response.status_code == 200


def test_ministry_dashboard_shows_key_indicators_municipalities_and_alerts(big_world, client_for):
    from monitoring.services import indicators_refresh

    IndicatorValue.objects.all().delete()
    indicators_refresh("2026", today=TODAY)
    html = client_for("ministry").get("/monitoring/?period=2026&sort=vpr_quality").content.decode()
    assert "Ключевые показатели региона" in html and "Муниципалитеты рядом" in html
    assert big_world.mun_a.name in html and big_world.mun_b.name in html
    assert "Просроченных пунктов дорожных карт: 1" in html
    assert "Не представили отчёт" in html and "1 МОУО" in html
    assert "Новые признаки необъективности" in html


def test_quarantined_uploads_raise_an_alert(world, client_for):
    from assessments.models import ResultBatch

    from .factories import procedure

    ResultBatch.objects.create(procedure=procedure("VPR-2026-RU-4", "VPR", 4), filename="x.xlsx", format="protocol",
                               mode="quarantine", quarantined=3)
    html = client_for("ministry").get("/monitoring/").content.decode()
    assert "Загрузок результатов со строками в карантине: 1" in html


def test_coordinator_sees_own_municipality_beside_the_region_and_its_schools(big_world, client_for):
    w = big_world
    html = client_for("coordinator").get("/monitoring/?period=2026").content.decode()
    assert w.mun_a.name in html and "Регион" in html and w.school_a2.short_name in html
    assert w.school_b1.short_name not in html


def test_school_head_sees_school_municipality_and_region(big_world, client_for):
    w = big_world
    html = client_for("school_head").get("/monitoring/?period=2026").content.decode()
    assert w.school_a1.short_name in html and w.mun_a.name in html and "Регион" in html
    assert w.school_a2.short_name not in html


@pytest.mark.parametrize("table", ["municipalities"])
def test_dashboard_table_exports(table, big_world, client_for):
    response = client_for("ministry").get(f"/monitoring/?period=2026&export=csv&table={table}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert big_world.mun_b.name in text


def test_the_municipalities_table_prints_every_value_with_one_decimal(world, client_for):
    """A column of figures lines up: 7.625 → «7,6», 40 → «40,0», never «7,62» beside «40»."""
    import re

    build(world)
    indicator = Indicator.objects.filter(is_key=True, periodicity="year").order_by("code").first()
    period = "2026"
    IndicatorValue.objects.filter(indicator=indicator, period=period, level="municipality").delete()
    IndicatorValue.objects.bulk_create([
        IndicatorValue(indicator=indicator, period=period, level="municipality", municipality=world.mun_a,
                       key=f"m{world.mun_a.pk}", value=7.625),
        IndicatorValue(indicator=indicator, period=period, level="municipality", municipality=world.mun_b,
                       key=f"m{world.mun_b.pk}", value=40.0)])
    html = client_for("ministry").get(f"/monitoring/?period={period}&sort={indicator.code}").content.decode()
    table = html[html.index("mon-compare"):]
    table = table[:table.index("</table>")]
    row_a = re.search(rf"<td>{re.escape(world.mun_a.name)}</td>(.*?)</tr>", table).group(1)
    row_b = re.search(rf"<td>{re.escape(world.mun_b.name)}</td>(.*?)</tr>", table).group(1)
    assert ">7,6<" in row_a and ">40,0<" in row_b
    assert not re.search(r">\d+,\d\d<", table)
