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


def comparison_bar(rows: list[dict], titles: list[str]) -> dict:
    """The group beside its benchmarks (municipality, region), one bar group per indicator in %."""
    rows = [r for r in rows if r["unit"] == "%" and any(r.get(f"g{i}") is not None for i in range(len(titles)))]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll", "textStyle": {"width": 260, "overflow": "truncate"}},
        "grid": {**BAR_GRID, "top": 36},
        "xAxis": {"type": "value", "max": 100, "name": "%"},
        "yAxis": {"type": "category", "data": [r["name"] for r in reversed(rows)], "axisLabel": LABEL},
        "series": [{"type": "bar", "name": title, "data": [r1(r.get(f"g{i}")) for r in reversed(rows)]}
                   for i, title in enumerate(titles)],
    }
