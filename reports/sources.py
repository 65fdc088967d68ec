"""What goes into a report, read through the same selectors as the dashboards (never recomputed here)."""
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from assessments.models import Procedure
from assessments.stats import selectors as stats
from assessments.stats.models import Form, Level, ObjectivitySign, SchoolListEntry
from assessments.stats.views import page_parts
from roadmaps.models import Assignment
from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization, Region
from rsoko.typography import number

from .periods import Quarter

UNDATED_QUARTER = 2
REGION_KINDS = {OrgKind.MINISTRY, OrgKind.INSTITUTE, OrgKind.ASSESSMENT_CENTRE}


class SystemReader:
    """The reader a report is rendered as: region-wide, so a report's content never depends on who asked for it
    (who may ask is checked before, by `reports.services.can_render`)."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    is_anonymous = False
    pk = id = None
    username = "система"


def group_for(organization: Organization) -> stats.Group:
    """The report's subject in the drill-down: the region (ministry, institute, centre), a municipality, a school."""
    if organization.kind == OrgKind.SCHOOL:
        return stats.Group(Level.SCHOOL, municipality=organization.municipality, school=organization)
    if organization.kind == OrgKind.MUNICIPAL_OFFICE and organization.municipality_id:
        return stats.Group(Level.MUNICIPALITY, municipality=organization.municipality)
    if organization.kind in REGION_KINDS:
        return stats.Group(Level.REGION)
    raise ValueError(f"Для организации «{organization.short_name}» квартальный отчёт не составляется.")


def subject_title(group: stats.Group) -> str:
    """The report's heading: the region's own name rather than «Регион»."""
    if group.level == Level.REGION:
        region = Region.objects.order_by("pk").first()
        return region.name if region else group.title
    return group.title


def schools_of(group: stats.Group):
    schools = Organization.objects.schools()
    if group.level == Level.SCHOOL:
        return schools.filter(pk=group.school.pk)
    if group.level == Level.MUNICIPALITY:
        return schools.filter(municipality=group.municipality)
    return schools


def procedures_in(quarter: Quarter, group: stats.Group):
    """Procedures held in the quarter (by their last day) that have results for the group.

    A procedure without dates counts in the II quarter of its year: the periodic procedures are held in spring
    («ВПР-2021 — весна 2021»), and leaving them out would drop real results from every report.
    """
    reader = SystemReader()
    held = (Q(date_end__range=(quarter.start, quarter.end))
            | Q(date_end__isnull=True, date_start__range=(quarter.start, quarter.end)))
    if quarter.number == UNDATED_QUARTER:
        held |= Q(date_end__isnull=True, date_start__isnull=True, year=quarter.year)
    with_rows = stats.StatisticRow.objects.filter(procedure=OuterRef("pk"), form=Form.MARKS, **group.row_filter())
    procedures = stats.procedures_with_statistics(reader)
    if group.level == Level.REGION:  # a МПР's «region» rows are one municipality's: not the region's report
        procedures = procedures.regional()
    return (procedures.filter(held).filter(Exists(with_rows))
            .order_by("date_end", "kind__order", "subject__name", "grade"))


@dataclass
class ProcedureSection:
    procedure: Procedure
    analytics: stats.ProcedureAnalytics
    parts: dict
    charts: list = field(default_factory=list)  # (title, ECharts option)

    @property
    def label(self) -> str:
        return procedure_label(self.procedure)

    @property
    def short_label(self) -> str:
        """A column header: «ВПР МА-4»."""
        p = self.procedure
        return f"{p.kind.code} {p.subject.code}{'-' + str(p.grade) if p.grade else ''}"

    @property
    def marks(self) -> dict:
        row = self.analytics.forms.get(Form.MARKS)
        return {**row.data, "participants": row.participants} if row else {}

    @property
    def region_marks(self) -> dict:
        for group, rows in self.analytics.benchmarks:
            if group.level == Level.REGION and Form.MARKS in rows:
                return {**rows[Form.MARKS].data, "participants": rows[Form.MARKS].participants}
        return self.marks if self.analytics.group.level == Level.REGION else {}

    @property
    def marks_rows(self) -> list[dict]:
        """The shares of «2»–«5», success and quality of the group beside its benchmarks (the region, Russia when
        known): the figures the dashboard's marks chart draws, printed as a table."""
        rows = [{"title": self.analytics.group.title, **self.marks}] if self.marks else []
        rows += [{"title": group.title, **rows_of[Form.MARKS].data, "participants": rows_of[Form.MARKS].participants}
                 for group, rows_of in self.analytics.benchmarks if Form.MARKS in rows_of]
        if self.analytics.russia and rows:
            rows.append({"title": "Россия", **self.analytics.russia.data})
        return rows

    @property
    def previous_year(self) -> dict | None:
        earlier = [p for p in self.analytics.dynamics if p["year"] < self.procedure.year]
        return earlier[-1] if earlier else None


# The quarterly report prints one chart per procedure, the tasks' solve rates (in no table of the report); the marks
# shares the dashboard draws as bars are printed as the section's table instead (ProcedureSection.marks_rows).
QUARTERLY_CHARTS = ("tasks_chart",)
QUARTERLY_FORMS = (Form.MARKS, Form.JOURNAL, Form.TASKS)  # what a compact section prints: its rows, its task chart


def procedure_section(procedure: Procedure, group: stats.Group, *, charts=QUARTERLY_CHARTS,
                      compact: bool = True) -> ProcedureSection:
    analytics = stats.procedure_analytics(SystemReader(), procedure, group,
                                          only_forms=QUARTERLY_FORMS if compact else None)
    parts = page_parts(analytics)
    titles = {"marks_chart": "Статистика отметок", "journal_chart": "Сравнение с отметками в журнале",
              "distribution_chart": "Распределение первичных баллов", "tasks_chart": "Выполнение заданий, %",
              "by_mark_chart": "Выполнение заданий группами участников, %", "dynamics_chart": "Динамика по годам, %"}
    chosen = [(titles[name], sized_for_print(name, parts[name], compact)) for name in charts if parts.get(name)]
    return ProcedureSection(procedure, analytics, parts, chosen)


def sized_for_print(name: str, option: dict, compact: bool = True) -> dict:
    """The journal comparison has one bar per group (one to three): at the usual height it is mostly empty paper.
    In the quarterly report (`compact`) the tasks' chart is printed low, without point markers on the benchmark
    lines, with three value ticks, with the axes' names in the section's note and without a legend (one legend is
    printed above all the charts, `shared_legend`): each marker and label is a shape or a text the PDF draws (an SVG
    text letter by letter), and with dozens of procedures they cost more to print than the bars."""
    if name == "journal_chart":
        return {"option": option, "height": 110 + 45 * len(option["yAxis"]["data"])}
    if name == "tasks_chart" and compact:
        lines = [{**series, "showSymbol": False} if series.get("type") == "line" else series
                 for series in option["series"]]
        grid = {**option.get("grid", {}), "top": 12, "bottom": 4, "left": 8}
        return {"option": {**option, "series": lines, "grid": grid, "legend": {"show": False},
                           "xAxis": {**option["xAxis"], "name": ""},
                           "yAxis": {**option["yAxis"], "name": "", "splitNumber": 2}}, "height": 140}
    return option


@dataclass
class SharedLegend:
    """The legend of the quarterly report's task charts, drawn once above them, in the shape
    `rendering.attach_charts` draws: (title, option) pairs, then SVGs."""

    charts: list
    svgs: list | None = None


def shared_legend(sections: list[ProcedureSection]) -> SharedLegend:
    """A legend-only chart of the same series (names, types, order, hence the theme's colours) as the charts."""
    first = next((option["option"] for section in sections for _, option in section.charts), None)
    if first is None:
        return SharedLegend([])
    option = {"legend": {"top": 2, "left": 0}, "grid": {"top": 30, "left": 0, "right": 0, "bottom": 0},
              "xAxis": {"type": "category", "show": False, "data": []}, "yAxis": {"type": "value", "show": False},
              "series": [{**series, "data": []} for series in first["series"]]}
    return SharedLegend([("Условные обозначения", {"option": option, "height": 24})])


def procedure_label(procedure: Procedure) -> str:
    """«ВПР, математика, 4 класс, 2026» when the procedure has no title of its own."""
    return procedure.name


def children_overview(sections: list[ProcedureSection]) -> dict:
    """One table for all procedures: each municipality (or school) with its success and quality per procedure."""
    names, cells = [], {}
    for index, section in enumerate(sections):
        for row in section.analytics.children:
            name = stats.group_name(row)
            if name not in cells:
                names.append(name)
                cells[name] = [None] * len(sections)
            cells[name][index] = {**row.data, "participants": row.participants}
    names = sorted(names, key=natural_key)
    return {"names": names, "cells": cells, "parts": overview_parts(sections, names, cells)}


# The overview on A4: a name column and OVERVIEW_PROCEDURES procedures per table (one table of all procedures ran
# off the page's edge after the seventh). A school's figures of one table are one line of text set on tab stops, one
# stop per procedure: laid out as a cell per figure, a municipality of 46 schools and 36 procedures took WeasyPrint
# a second, most of the large report's time. Every cell is padded to the same width with figure spaces (as wide as a
# digit), so the figures stand right-aligned under their procedure's heading.
OVERVIEW_PROCEDURES = 6
OVERVIEW_NAME_MM = 49
OVERVIEW_COLUMN_MM = 21  # the tab stop; «100,0 / 100,0» is 17 mm wide at the table's 8 pt
FIGURE_SPACE = "\u2007"
NO_RESULT = FIGURE_SPACE * 9 + "—"  # right-aligned like a cell of figures: the group did not write the procedure


def overview_parts(sections, names: list[str], cells: dict) -> list[dict]:
    """The overview cut into tables of OVERVIEW_PROCEDURES procedures, each with every row and the group's total."""
    parts = []
    for start in range(0, len(sections), OVERVIEW_PROCEDURES):
        chunk = slice(start, start + OVERVIEW_PROCEDURES)
        parts.append({"sections": sections[chunk],
                      "rows": [(name, overview_line(cells[name][chunk])) for name in names],
                      "total": overview_line([s.marks for s in sections[chunk]]),
                      "width_mm": OVERVIEW_NAME_MM + OVERVIEW_COLUMN_MM * len(sections[chunk])})
    return parts


def overview_line(cells: list) -> str:
    return "\t".join(overview_cell(cell) for cell in cells)


def overview_cell(cell: dict | None) -> str:
    """«␣85,4 / ␣58,5»: success / quality, each padded to five places."""
    if not cell:
        return NO_RESULT
    return " / ".join(number(cell.get(key)).rjust(5, FIGURE_SPACE) for key in ("success_pct", "quality_pct"))


def natural_key(name: str):
    """«СОШ № 2» before «СОШ № 10»."""
    import re

    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def school_sign_rows(signs, *, name_procedures: bool = True) -> list[dict]:
    """Flagged signs grouped by school, each criterion once with the procedures it was found in (not named in a
    single procedure's report, where every sign is of that procedure)."""
    from assessments.stats.selectors import CRITERION_TITLES

    schools: dict[int, dict] = {}
    for sign in signs:
        row = schools.setdefault(sign.school_id, {"school": sign.school, "by_criterion": {}})
        where = sign.procedure.code if sign.procedure_id else f"за {sign.year} год"
        row["by_criterion"].setdefault(CRITERION_TITLES.get(sign.criterion, sign.criterion), []).append(where)
    for row in schools.values():
        row["criteria"] = [f"{title} ({', '.join(sorted(set(where)))})" if name_procedures else title
                           for title, where in row["by_criterion"].items()]
        row["count"] = sum(len(w) for w in row["by_criterion"].values())
    return list(schools.values())


def flagged_signs(group: stats.Group, years: set[int]):
    signs = (ObjectivitySign.objects.filter(flagged=True, year__in=years, school__in=schools_of(group))
             .select_related("school__municipality", "procedure"))
    return signs.order_by("school__municipality__name", "school__short_name", "criterion")


def objectivity_cases(group: stats.Group, years: set[int]) -> list:
    """Consequences for the group's flagged schools (signs of these years and the year before), with history."""
    from decisions.models import Case

    wanted = years | {y - 1 for y in years}
    return list(Case.objects.filter(school__in=schools_of(group), year__in=wanted)
                .select_related("school__municipality").prefetch_related("events")
                .order_by("school__municipality__name", "school__short_name", "-year", "kind"))


def shnor_entries(group: stats.Group, quarter: Quarter) -> dict:
    """The ШНОР list of the quarter's year; a report of an earlier quarter never shows a list formed later."""
    lists = stats.school_lists(SystemReader(), quarter.year, SchoolListEntry.Kind.LOW)
    school_ids = set(schools_of(group).values_list("pk", flat=True))
    return {"year": lists["year"], "selected": [e for e in lists["selected"] if e.school_id in school_ids]}


def roadmap_assignments(group: stats.Group):
    """Assignments of the group's organizations: the region, a municipality (office and schools), a school."""
    assignments = Assignment.objects.filter(item__is_section=False).select_related("item__roadmap", "organization")
    if group.level == Level.SCHOOL:
        return assignments.filter(organization=group.school)
    if group.level == Level.MUNICIPALITY:
        return assignments.filter(organization__municipality=group.municipality)
    return assignments


def roadmap_progress(group: stats.Group, quarter: Quarter) -> dict:
    """Done / overdue / not reported / in progress at the quarter's end (roadmaps.selectors.execution_as_of, the
    definition the monitoring indicators use), the overdue list (by roadmap) and, when every overdue item has the
    same executor, its name."""
    from roadmaps.selectors import execution_as_of

    execution = execution_as_of(roadmap_assignments(group), quarter.end)
    overdue = sorted(execution.overdue_list, key=lambda a: (a.item.roadmap.title, a.item.roadmap_id, a.item.position,
                                                            a.organization.short_name))
    executors = {a.organization.short_name for a in overdue}
    # One executor for every overdue item (a municipality's own items): named once above the table, not per row.
    return {"counts": execution.counts(), "overdue": overdue,
            "single_executor": executors.pop() if len(executors) == 1 else None}


def indicator_rows(organization: Organization, quarter: Quarter) -> list[dict]:
    """Monitoring indicators for the organization and quarter, from the selector the dashboards and the API use:
    dicts with code, name, unit, direction ("higher" | "lower" is better), value, previous_value, target,
    period, level, mechanism."""
    from monitoring import selectors as monitoring

    return list(monitoring.indicator_rows(SystemReader(), organization=organization, period=quarter.code))


def region_organization() -> Organization | None:
    return Organization.objects.filter(kind=OrgKind.MINISTRY, is_active=True).order_by("pk").first()


def municipal_offices():
    return (Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE, is_active=True, municipality__isnull=False)
            .select_related("municipality").order_by("municipality__name"))
