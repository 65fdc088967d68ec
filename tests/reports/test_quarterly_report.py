"""The municipal quarterly report: Russian text, embedded fonts, vector charts, the dashboard's and the API's figures."""
import re
import sys
import types

import pytest

from assessments.stats.models import Form, Level, StatisticRow
from reports import rendering, sources
from rsoko.orgs.models import Organization
from reports.periods import Quarter
from rsoko.typography import number
from tests.stats.factories import analysed_procedure

from .conftest import needs_node, needs_poppler, pdf_fonts, pdf_raster_images, pdf_text

pytestmark = [needs_node, needs_poppler]
QUARTER = Quarter.parse("2021Q2")  # the test procedure has no dates: it counts in the II quarter of its year


@pytest.fixture
def municipal_pdf(world):
    procedure = analysed_procedure(world)
    return procedure, rendering.render_quarterly(world.mouo_a, QUARTER)


def test_the_municipal_report_reads_as_russian_text_with_page_numbers(municipal_pdf, world, tmp_path):
    _, rendered = municipal_pdf
    text = " ".join(pdf_text(rendered.pdf, tmp_path).split())
    assert "Квартальный отчёт: Альфинский муниципальный район" in text
    assert "II квартал 2021 года" in text
    assert "Признаки необъективности, требующие дополнительного анализа" in text
    assert re.search(r"Страница 1 из \d+", text)
    assert "Школа А1" in text and "Школа Б1" not in text  # another municipality's school stays out


def test_every_font_is_embedded_and_the_charts_are_vector(municipal_pdf, tmp_path):
    _, rendered = municipal_pdf
    fonts = pdf_fonts(rendered.pdf, tmp_path)
    assert fonts, "в PDF нет шрифтов"
    assert all(row[-5] == "yes" for row in fonts), fonts  # emb column
    assert pdf_raster_images(rendered.pdf, tmp_path) == 0  # charts are SVG drawn as PDF paths, not pictures


def test_the_printed_success_rate_equals_the_dashboard_and_the_api(municipal_pdf, world, client_for, tmp_path):
    procedure, rendered = municipal_pdf
    row = StatisticRow.objects.get(procedure=procedure, form=Form.MARKS, level=Level.MUNICIPALITY, municipality=world.mun_a)
    api = client_for("ministry").get(f"/api/v1/statistics/?procedure={procedure.code}&level=municipality"
                                     f"&municipality={world.mun_a.pk}&form=marks").json()
    api_value = api["results"][0]["data"]["success_pct"]
    assert api_value == row.data["success_pct"] == rendered.figures["procedures"][procedure.code]["success_pct"]
    text = pdf_text(rendered.pdf, tmp_path)
    assert f"{number(api_value)} %" in text.replace("\u202f", " ").replace("\u00a0", " ")
    page = client_for("ministry").get(f"/analytics/procedures/{procedure.code}/?municipality={world.mun_a.pk}")
    assert number(api_value).replace("\u202f", "") in page.content.decode().replace(".", ",")


def test_indicators_are_read_from_the_monitoring_contract(world, monkeypatch):
    calls = []

    def indicator_rows(user, *, organization, period):
        calls.append((organization, period))
        return [{"code": "1.1.1", "name": "Доля ОО с признаками необъективности", "unit": "%", "direction": "lower",
                 "value": 4.5, "previous_value": 6.0, "target": 5.0, "period": period, "level": "municipality",
                 "mechanism": "1.1"}]

    fake = types.ModuleType("monitoring.selectors")
    fake.indicator_rows = indicator_rows
    monkeypatch.setitem(sys.modules, "monitoring", types.ModuleType("monitoring"))
    monkeypatch.setitem(sys.modules, "monitoring.selectors", fake)
    context = rendering.quarterly_context(world.mouo_a, QUARTER)
    assert calls == [(world.mouo_a, "2021Q2")]
    assert context["indicators"][0]["change"] == pytest.approx(-1.5)
    assert any("улучшение на 1,5\u00a0п.\u00a0п." in s and "целевое значение достигнуто" in s for s in context["summary"])


def test_a_quarter_without_procedures_says_so(world):
    analysed_procedure(world)
    context = rendering.quarterly_context(world.mouo_a, Quarter.parse("2021Q3"))
    assert context["sections"] == []
    assert context["summary"][0].startswith("В квартале оценочные процедуры с загруженными результатами не проводились")


def test_the_region_report_lists_municipalities_and_the_school_report_its_school(world):
    analysed_procedure(world)
    region = rendering.quarterly_context(world.ministry_org, QUARTER)
    assert set(region["overview"]["names"]) == {world.mun_a.name, world.mun_b.name}
    school = rendering.quarterly_context(world.school_a1, QUARTER)
    assert school["group"].level == Level.SCHOOL and school["overview"] is None
    with pytest.raises(ValueError):
        sources.group_for(Organization(kind="public", short_name="Общественный совет"))


def test_the_printed_indicators_equal_the_monitoring_api(world, client_for):
    from monitoring.services import indicators_refresh

    analysed_procedure(world)
    indicators_refresh(period="2021")
    indicators_refresh(period=QUARTER.code)
    context = rendering.quarterly_context(world.mouo_a, QUARTER)
    printed = {(row["code"], row["period"]): row["value"] for row in context["indicators"] if row["value"] is not None}
    assert printed, "the municipal report shows computed indicators"
    from_api = {}
    for period in {period for _, period in printed}:
        api = client_for("ministry").get(f"/api/v1/indicator-values/?organization={world.mouo_a.code}"
                                         f"&period={period}&page_size=500").json()["results"]
        from_api |= {(row["indicator"], row["period"]): row["value"] for row in api}
    for key, value in printed.items():
        assert from_api[key] == pytest.approx(value), key


def test_overdue_items_are_grouped_by_roadmap_and_a_single_executor_is_named_once(world, tmp_path):
    from roadmaps.models import Assignment, ExecutionStatus
    from tests.roadmaps.factories import roadmap_world

    rm = roadmap_world(world)
    Assignment.objects.filter(organization=world.mouo_a).update(status=ExecutionStatus.OVERDUE)
    progress = sources.roadmap_progress(sources.group_for(world.mouo_a), QUARTER)
    roadmap_runs = [a.item.roadmap_id for a in progress["overdue"]]
    assert len({r for r in roadmap_runs}) == len([r for i, r in enumerate(roadmap_runs) if i == 0 or r != roadmap_runs[i - 1]])
    assert {a.item.roadmap for a in progress["overdue"]} == {rm.regional, rm.municipal_a}
    assert progress["single_executor"] == world.mouo_a.short_name

    text = " ".join(pdf_text(rendering.render_quarterly(world.mouo_a, QUARTER).pdf, tmp_path).split())
    assert f"Просроченные пункты: {len(progress['overdue'])} (исполнитель — {world.mouo_a.short_name})" in text
    assert text.count("по повышению объективности оценочных процедур") == 1  # a group row, not a column per item

    Assignment.objects.filter(organization=world.school_a1).update(status=ExecutionStatus.OVERDUE)
    assert sources.roadmap_progress(sources.group_for(world.mouo_a), QUARTER)["single_executor"] is None
