"""ECharts options built from the stored figures: the page draws exactly the numbers the tables show."""
MARK_COLORS = {"2": "#b42318", "3": "#d97706", "4": "#2f74c0", "5": "#15803d"}
GRID = {"left": 48, "right": 20, "top": 40, "bottom": 40, "containLabel": True}


def r1(value):
    """Chart labels show one decimal, like the tables."""
    return None if value is None else round(float(value), 1)


def percent_axis(name: str = "%") -> dict:
    return {"type": "value", "name": name, "max": 100, "axisLabel": {"formatter": "{value}"}}


def named_below(axis: dict) -> dict:
    """A horizontal axis with its name centred under the labels: at the axis end it ran off the chart's edge."""
    return {**axis, "nameLocation": "middle", "nameGap": 26}


def marks_chart(series: list[tuple[str, dict]]) -> dict:
    """Grouped bars of the shares of «2»–«5»: the group beside its benchmarks."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": GRID,
        "xAxis": {"type": "category", "data": ["«2»", "«3»", "«4»", "«5»"]},
        "yAxis": percent_axis(),
        "series": [{"name": name, "type": "bar", "data": [r1(data.get(f"pct_{m}")) for m in "2345"],
                    "label": {"show": True, "position": "top", "formatter": "{c}"}} for name, data in series],
    }


def journal_chart(series: list[tuple[str, dict]]) -> dict:
    """Stacked bars: lowered, confirmed and raised marks against the journal."""
    names = [name for name, _ in series]
    parts = [("lowered_pct", "Понизили", "#b42318"), ("confirmed_pct", "Подтвердили", "#64748b"),
             ("raised_pct", "Повысили", "#15803d")]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": GRID,
        "xAxis": named_below(percent_axis()),
        "yAxis": {"type": "category", "data": names},
        "series": [{"name": title, "type": "bar", "stack": "all", "itemStyle": {"color": color}, "barMaxWidth": 40,
                    "label": {"show": True, "formatter": "{c}"},
                    "data": [r1(data.get(key)) for _, data in series]} for key, title, color in parts],
    }


def distribution_chart(lines: list[dict]) -> dict:
    """% of participants at each primary score, coloured by mark, with the first score of each mark marked."""
    bars = [{"value": r1(line["pct"]), "itemStyle": {"color": MARK_COLORS.get(str(line["mark"]), "#64748b")}} for line in lines]
    boundaries = [{"xAxis": str(line["score"]), "label": {"formatter": f"«{line['boundary_of']}»"}}
                  for line in lines if line.get("boundary_of")]
    return {
        "tooltip": {"trigger": "axis"},
        "grid": GRID,
        "xAxis": named_below({"type": "category", "name": "балл", "data": [str(line["score"]) for line in lines]}),
        "yAxis": {"type": "value", "name": "% участников"},
        "series": [{"type": "bar", "name": "% участников", "data": bars,
                    "markLine": {"symbol": "none", "lineStyle": {"type": "dashed", "color": "#1b2430"}, "data": boundaries}}],
    }


def tasks_chart(lines: list[dict], group_level: str, group_title: str) -> dict:
    """Solve rate of each task: the group as bars, the municipality and the region as lines alongside."""
    benchmarks = []
    if group_level in ("school", "class"):
        benchmarks.append(("municipality_solve_pct", "Муниципалитет"))
    if group_level != "region":
        benchmarks.append(("region_solve_pct", "Регион"))
    series = [{"name": group_title, "type": "bar", "data": [r1(line.get("solve_pct")) for line in lines]}]
    series += [{"name": title, "type": "line", "symbolSize": 6, "data": [r1(line.get(key)) for line in lines]}
               for key, title in benchmarks]
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": GRID,
            "xAxis": named_below({"type": "category", "name": "задание",
                                  "data": [str(line["label"]) for line in lines]}),
            "yAxis": percent_axis(), "series": series}


def by_mark_chart(lines: list[dict]) -> dict:
    """Solve rate of every task within each mark group."""
    labels = sorted({(line["position"], str(line["label"])) for line in lines})
    series = []
    for mark in (2, 3, 4, 5):
        values = {line["position"]: r1(line.get("solve_pct")) for line in lines if line["mark"] == mark}
        series.append({"name": f"Группа «{mark}»", "type": "line", "itemStyle": {"color": MARK_COLORS[str(mark)]},
                       "data": [values.get(position) for position, _ in labels]})
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": GRID,
            "xAxis": named_below({"type": "category", "name": "задание", "data": [label for _, label in labels]}),
            "yAxis": percent_axis(), "series": series}


# Benchmarks of the dynamics: drawn dashed, only when at least one year has them.
DYNAMICS_BENCHMARKS = (("region_quality_pct", "Качество — регион"), ("russia_quality_pct", "Качество — Россия"))


def dynamics_chart(points: list[dict]) -> dict:
    """Every year held: the group's success, quality and share of «2», the region's and Russia's quality."""
    years = [str(p["year"]) for p in points]
    series = [{"name": title, "type": "line", "data": [r1(p.get(key)) for p in points], "symbolSize": 8,
               "label": {"show": True, "position": "top", "formatter": "{c}"}}
              for key, title in (("success_pct", "Успеваемость"), ("quality_pct", "Качество"), ("pct_2", "Доля «2»"))]
    series += [{"name": title, "type": "line", "data": [r1(p.get(key)) for p in points], "symbolSize": 6,
                "connectNulls": True, "lineStyle": {"type": "dashed"}}
               for key, title in DYNAMICS_BENCHMARKS if any(p.get(key) is not None for p in points)]
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 0, "type": "scroll"}, "grid": {**GRID, "top": 56},
            "xAxis": {"type": "category", "data": years}, "yAxis": percent_axis(), "series": series}


def distribution_comparison_chart(own: list[dict], region: list[dict], school_title: str) -> dict:
    """The school's distribution against the region's: heaping at a mark's first score stands out."""
    scores = [str(line["score"]) for line in region]
    boundaries = [{"xAxis": str(line["score"]), "label": {"formatter": f"«{line['boundary_of']}»"}}
                  for line in region if line.get("boundary_of")]
    own_by_score = {str(line["score"]): r1(line["pct"]) for line in own}
    return {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": GRID,
        "xAxis": named_below({"type": "category", "name": "балл", "data": scores}),
        "yAxis": {"type": "value", "name": "% участников"},
        "series": [
            {"name": school_title, "type": "bar", "data": [own_by_score.get(s) for s in scores],
             "markLine": {"symbol": "none", "lineStyle": {"type": "dashed", "color": "#1b2430"}, "data": boundaries}},
            {"name": "Регион", "type": "line", "data": [r1(line["pct"]) for line in region], "symbolSize": 5},
        ],
    }
