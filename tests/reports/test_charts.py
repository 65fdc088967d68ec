"""The printed charts: the portal's one theme (static/js/chart-theme.js), labels that print dark, true text widths."""
import json
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from assessments.stats.charts import marks_chart
from reports import charts

from .conftest import needs_node

pytestmark = needs_node
THEME = Path(settings.BASE_DIR) / "static" / "js" / "chart-theme.js"
ECHARTS_DEFAULT_BLUE = "#5470c6"


def theme_palette() -> list[str]:
    """The palette as Node reads the theme file (the same require() the server renderer does)."""
    node = shutil.which("node")
    script = f"process.stdout.write(JSON.stringify(require({json.dumps(str(THEME))}).theme.color))"
    return json.loads(subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout)


def two_series_marks_chart() -> dict:
    return marks_chart([("Альфинский муниципальный район", {"pct_2": 8.2, "pct_3": 16.7, "pct_4": 31.9, "pct_5": 43.2}),
                        ("Регион", {"pct_2": 10.5, "pct_3": 17.4, "pct_4": 33.2, "pct_5": 38.9})])


def test_printed_bars_take_the_dashboard_palette():
    palette = theme_palette()
    [svg] = charts.render_svgs([two_series_marks_chart()])
    assert f'fill="{palette[0]}"' in svg and f'fill="{palette[1]}"' in svg
    assert ECHARTS_DEFAULT_BLUE not in svg


def test_the_palette_is_defined_once_for_screen_and_paper():
    """The dashboard script and the server renderer both load chart-theme.js; neither keeps colours of its own."""
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    assert base.index("js/chart-theme.js") < base.index("js/charts.js")
    for script in (Path(settings.BASE_DIR) / "static" / "js" / "charts.js", charts.SCRIPT):
        text = script.read_text()
        assert not re.search(r"#[0-9a-fA-F]{6}\b", text), f"{script.name} has colours of its own"
    assert "chart-theme.js" in charts.SCRIPT.read_text()


def test_value_labels_print_dark_in_russian_notation_without_a_halo():
    """WeasyPrint ignores paint-order: a white halo around a label would be painted over its letters."""
    [svg] = charts.render_svgs([two_series_marks_chart()])
    labels = re.findall(r"<text[^>]*>(?:8,2|43,2|10,5)</text>", svg)
    assert len(labels) == 3, svg[:2000]
    for label in labels:
        fill = re.search(r'fill="#([0-9a-f]{3}|[0-9a-f]{6})"', label).group(1)
        assert int(fill[0], 16) < 6, label  # a dark grey or black, not white
        assert "paint-order" not in label and "stroke=" not in label
    assert "8.2" not in svg


def test_labels_are_measured_with_the_report_font():
    """Legend entries sit next to each other: ECharts' canvas-less guess counts a Cyrillic letter as a full em."""
    [svg] = charts.render_svgs([two_series_marks_chart()])
    first, second = (float(re.search(rf'transform="translate\(([\d.]+) [\d.]+\)"[^>]*>{name}</text>', svg).group(1))
                     for name in ("Альфинский муниципальный район", "Регион"))
    name_width = charts.font_metrics()["regular"]
    expected = 11 * sum(name_width[c] for c in "Альфинский муниципальный район")
    assert 0 < second - first < expected + 60  # the name's true width, the next icon and the gaps


def test_value_axes_print_thousands_and_decimals_in_russian():
    """Issue 17: axis ticks read «1 200» and «12,5», like the labels and the tables («регион: 12,1»)."""
    option = {"xAxis": {"type": "category", "data": ["А", "Б"]}, "yAxis": {"type": "value", "max": 2500},
              "series": [{"type": "bar", "data": [1200, 2400]}]}
    [svg] = charts.render_svgs([option])
    ticks = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "2\u202f500" in ticks or "2\u202f000" in ticks, ticks
    assert not any(re.fullmatch(r"\d{4}", tick) for tick in ticks), ticks
