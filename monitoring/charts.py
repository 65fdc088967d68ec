"""ECharts options of the monitoring dashboards, built from the same rows as the tables."""
from assessments.stats.charts import r1

# Horizontal bars: long Russian names on the left, a fixed margin so that none is cut at the edge.
BAR_GRID = {"left": 290, "right": 60, "top": 20, "bottom": 40}
LABEL = {"width": 260, "overflow": "truncate"}


def bar_height(count: int) -> int:
    """Enough room for one readable bar per group."""
    return max(240, 22 * count + 80)


def sparkline(points: list[tuple[str, float]]) -> dict:
    """A small line of the region's value over the periods (no axes: the table has the numbers)."""
    return {
        "grid": {"left": 2, "right": 2, "top": 4, "bottom": 4},
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "show": False, "data": [p for p, _ in points]},
        "yAxis": {"type": "value", "show": False, "scale": True},
        "series": [{"type": "line", "data": [r1(v) for _, v in points], "symbolSize": 4, "smooth": False,
                    "lineStyle": {"width": 2, "color": "#2f74c0"}, "itemStyle": {"color": "#2f74c0"}}],
    }


def groups_bar(rows: list[dict], code: str, title: str, region_value: float | None) -> dict:
    """Horizontal bars of one indicator by municipality (or school), the region's value drawn as a line."""
    ordered = list(reversed(rows))  # ECharts draws the first category at the bottom
    series = {"type": "bar", "name": title, "data": [r1(r.get(code)) for r in ordered],
              "label": {"show": True, "position": "right", "formatter": "{c}"}, "itemStyle": {"color": "#2f74c0"}}
    if region_value is not None:
        series["markLine"] = {"symbol": "none", "lineStyle": {"type": "dashed", "color": "#b42318"},
                              "label": {"formatter": f"регион: {r1(region_value)}"},
                              "data": [{"xAxis": r1(region_value)}]}
    return {
        "tooltip": {"trigger": "axis"},
        "grid": BAR_GRID,
        "xAxis": {"type": "value", "name": title, "nameLocation": "middle", "nameGap": 24},
        "yAxis": {"type": "category", "data": [r["title"] for r in ordered], "axisLabel": LABEL},
        "series": [series],
    }


# At most this many indicators on one chart: more bars than that are unreadable at 1366 px.
CHART_INDICATORS = 8


def comparison_parts(rows: list[dict], titles: list[str]) -> list[dict]:
    """The comparison split into readable charts: by management mechanism, at most CHART_INDICATORS each.
    Each part: {"id", "title", "chart", "height"}; the table beside them keeps every indicator."""
    from .choices import Mechanism

    shown = [r for r in rows if r["unit"] == "%" and any(r.get(f"g{i}") is not None for i in range(len(titles)))]
    mechanisms = dict(Mechanism.choices)
    parts = []
    for mechanism in dict.fromkeys(r["mechanism"] for r in shown):
        own = [r for r in shown if r["mechanism"] == mechanism]
        for start in range(0, len(own), CHART_INDICATORS):
            chunk = own[start:start + CHART_INDICATORS]
            parts.append({"id": f"comparison-{len(parts) + 1}", "title": mechanisms.get(mechanism, mechanism),
                          "chart": comparison_bar(chunk, titles),
                          "height": bar_height(len(chunk) * len(titles)) + 40})
    return parts


def comparison_bar(rows: list[dict], titles: list[str]) -> dict:
    """The group beside its benchmarks (municipality, region), one bar group per indicator in %."""
    rows = [r for r in rows if r["unit"] == "%" and any(r.get(f"g{i}") is not None for i in range(len(titles)))]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll", "textStyle": {"width": 260, "overflow": "truncate"}},
        "grid": {**BAR_GRID, "top": 36},
        "xAxis": {"type": "value", "max": 100, "name": "%"},
        # Indicator names are long: they wrap onto a second line rather than being cut.
        "yAxis": {"type": "category", "data": [r["name"] for r in reversed(rows)],
                  "axisLabel": {**LABEL, "overflow": "break", "lineHeight": 14}},
        "series": [{"type": "bar", "name": title, "data": [r1(r.get(f"g{i}")) for r in reversed(rows)],
                    "barMaxWidth": 18}
                   for i, title in enumerate(titles)],
    }


def dynamics_lines(dynamics: dict, unit: str) -> dict:
    """Every period held, one line per group; Russia dashed. Few periods: the labels of the values fit."""
    labels = [p if "Q" not in p else p.replace("Q", " · ") + " кв." for p in dynamics["periods"]]
    series = [{"name": title, "type": "line", "data": [r1(v) for v in points], "connectNulls": True,
               "symbolSize": 7, **({"lineStyle": {"type": "dashed"}} if title == "Россия" else {}),
               "label": {"show": len(labels) <= 8, "position": "top", "formatter": "{c}"}}
              for title, points in dynamics["series"]]
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0, "type": "scroll"},
            "grid": {"left": 56, "right": 24, "top": 44, "bottom": 36, "containLabel": True},
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"hideOverlap": True}},
            "yAxis": {"type": "value", "name": unit, "scale": True}, "series": series}


# Map colours from worse to better (red, amber, yellow, two greens), light enough for dark names on every tile;
# grey where there is no value.
SCALE = ["#f28b82", "#fbc88a", "#fff2a8", "#bde5a0", "#7fc97f"]
NO_VALUE = "#e5e7eb"


def value_range(values: list) -> tuple[float, float] | None:
    known = [v for v in values if v is not None]
    return (min(known), max(known)) if known else None


def tile_color(value, bounds, direction: str) -> str:
    """The scale's colour of a value between the lowest and the highest shown (better is green)."""
    if value is None or bounds is None:
        return NO_VALUE
    low, high = bounds
    share = 0.5 if high == low else (value - low) / (high - low)
    if direction != "higher":
        share = 1 - share
    return SCALE[min(int(share * len(SCALE)), len(SCALE) - 1)]


def choropleth(rows: list[dict], code: str, title: str, direction: str) -> dict:
    """A map of the municipalities coloured by one indicator (the map is registered as «region» by charts.js)."""
    bounds = value_range([r.get(code) for r in rows]) or (0, 1)
    colors = SCALE if direction == "higher" else list(reversed(SCALE))
    return {
        "tooltip": {"trigger": "item"},
        "visualMap": {"min": r1(bounds[0]), "max": r1(bounds[1]), "calculable": True, "left": 8, "bottom": 8,
                      "text": ["больше", "меньше"], "inRange": {"color": colors}, "precision": 1},
        "series": [{"type": "map", "map": "region", "name": title, "roam": True, "nameProperty": "name",
                    "emphasis": {"label": {"show": True}}, "itemStyle": {"areaColor": NO_VALUE},
                    "data": [{"name": r["title"], "value": r1(r.get(code))} for r in rows if r.get(code) is not None]}],
    }
