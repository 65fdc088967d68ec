"""Issue 17, a quarterly report of many procedures: every procedure's figures print (the one wide overview table ran
off the page after the seventh), the marks the dashboard draws stand in the results table, the task charts share one
legend, and the printed SVGs carry nothing for the screen only."""
import re
from types import SimpleNamespace

from assessments.stats.models import Form, Level, RussiaMarks
from reports import charts, rendering, sources
from reports.periods import Quarter
from rsoko.typography import number
from tests.stats.factories import analysed_procedure

from .conftest import needs_node, needs_poppler, pdf_text

QUARTER = Quarter.parse("2021Q2")
F = "\u2007"  # figure space


def child(name: str, success: float, quality: float):
    return SimpleNamespace(level=Level.SCHOOL, school=SimpleNamespace(short_name=name), participants=20,
                           data={"success_pct": success, "quality_pct": quality})


def fake_section(n: int, schools: list[str]):
    children = [child(name, 50.0 + n, 20.0 + n) for name in schools if not (n == 3 and name == "СОШ № 2")]
    return SimpleNamespace(analytics=SimpleNamespace(children=children), marks={"success_pct": 90.0 + n / 10,
                                                                               "quality_pct": 60.0})


def test_the_overview_prints_every_procedure_in_tables_of_a_page_width():
    schools = ["СОШ № 10", "СОШ № 2", "СОШ № 1"]
    sections = [fake_section(n, schools) for n in range(14)]
    overview = sources.children_overview(sections)
    parts = overview["parts"]
    assert [len(p["sections"]) for p in parts] == [6, 6, 2]  # 14 procedures, none left out
    assert all(p["width_mm"] <= 175 for p in parts)  # the A4 page's width between the margins
    assert [name for name, _ in parts[0]["rows"]] == ["СОШ № 1", "СОШ № 2", "СОШ № 10"]
    line = dict(parts[0]["rows"])["СОШ № 2"].split("\t")
    assert len(line) == 6 and line[3] == sources.NO_RESULT  # СОШ № 2 did not write the 4th procedure
    # every cell is as wide as every other: five places on each side of the slash, figure spaces (F) in front
    assert line[0] == f"{F}{number(50.0)} / {F}{number(20.0)}"
    assert dict(parts[2]["rows"])["СОШ № 1"].split("\t")[0] == f"{F}{number(62.0)} / {F}{number(32.0)}"
    assert sources.overview_cell({"success_pct": 5.0, "quality_pct": 100.0}) == f"{F}{F}5,0 / 100,0"
    assert parts[2]["total"].split("\t")[1] == f"{F}{number(91.3)} / {F}{number(60.0)}"


def test_the_results_table_rows_are_the_group_the_region_and_russia(world):
    procedure = analysed_procedure(world)
    RussiaMarks.objects.create(procedure=procedure, pct_2=10.0, pct_3=30.0, pct_4=40.0, pct_5=20.0)
    section = sources.procedure_section(procedure, sources.group_for(world.mouo_a))
    rows = section.marks_rows
    assert [row["title"] for row in rows] == [world.mun_a.name, "Регион", "Россия"]
    analytics = section.analytics
    assert rows[0]["success_pct"] == analytics.forms[Form.MARKS].data["success_pct"]
    assert rows[0]["participants"] == analytics.forms[Form.MARKS].participants
    assert rows[2]["quality_pct"] == 60.0 and rows[2]["pct_2"] == 10.0


def test_one_compact_chart_per_procedure_and_one_legend_for_all(world):
    procedure = analysed_procedure(world)
    section = sources.procedure_section(procedure, sources.group_for(world.mouo_a))
    [(title, chart)] = section.charts
    option = chart["option"]
    assert option["legend"] == {"show": False} and option["xAxis"]["name"] == "" and option["yAxis"]["name"] == ""
    assert all(s.get("showSymbol") is False for s in option["series"] if s["type"] == "line")
    [(_, legend)] = sources.shared_legend([section]).charts
    assert [s["name"] for s in legend["option"]["series"]] == [s["name"] for s in option["series"]]
    assert sources.shared_legend([]).charts == []
    # the procedure's own report keeps its full charts
    full = sources.procedure_section(procedure, sources.group_for(world.ministry_org), charts=("tasks_chart",),
                                     compact=False)
    assert full.charts[0][1]["legend"] == {"top": 0} and full.charts[0][1]["xAxis"]["name"] == "задание"


@needs_node
def test_printed_svgs_carry_no_screen_only_parts_and_merge_alike_shapes():
    option = {"xAxis": {"type": "category", "data": [str(n) for n in range(1, 16)]}, "yAxis": {"type": "value"},
              "legend": {"top": 0}, "series": [{"name": "Группа", "type": "bar", "data": list(range(10, 85, 5))}]}
    [svg] = charts.render_svgs([option])
    assert "<style" not in svg and "ecmeta_" not in svg and "pointer-events" not in svg
    bars = [d for d in re.findall(r'<path d="([^"]*)"', svg) if d.count("Z") == 15]
    assert len(bars) == 1  # the series' 15 bars are one path of 15 parts
    assert len(re.findall(r"<text[^>]*>(\d+)</text>", svg)) >= 15  # every task's label is still text


@needs_node
@needs_poppler
def test_the_pdf_prints_the_results_table_the_overview_and_the_shared_legend(world, tmp_path):
    procedure = analysed_procedure(world)
    rendered = rendering.render_quarterly(world.mouo_a, QUARTER)
    text = " ".join(pdf_text(rendered.pdf, tmp_path).split())
    marks = rendered.figures["procedures"][procedure.code]
    for key in ("pct_2", "success_pct", "quality_pct"):
        assert f"{number(marks[key])}\u00a0%" in text or f"{number(marks[key])} %" in text.replace("\u202f", " ")
    assert "1.1. Результаты процедур" in text and "1.2. Успеваемость и качество по ОО" in text
    assert "1.3. Выполнение заданий" in text and "Обозначения одни для всех графиков раздела" in text
    assert "Школа А1" in text and "Школа А2" in text
