"""Reports as PDF: collect the sections (reports.sources), draw the charts (reports.charts), print with WeasyPrint."""
import base64
import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from assessments.stats import selectors as stats
from rsoko.exports import Table
from assessments.stats.models import Level

from . import campaigns, charts, sources, summary
from .periods import Quarter

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class Rendered:
    pdf: bytes
    title: str
    filename: str
    figures: dict  # the key numbers printed, for the archive's parameters and for tests


def printable(table, drop=("warning",)):
    """The page's table for paper: without the screen-only notes and without columns that are empty throughout."""
    rows = list(table.iter_rows())
    columns = [c for c in table.columns if c.key not in drop and any(row.get(c.key) not in (None, "") for row in rows)]
    return Table(table.title, columns, rows, filename=table.filename)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def attach_charts(sections) -> None:
    """Draw every chart of the report in one ECharts run and hang the SVGs back on their sections."""
    options = [option for section in sections for _, option in section.charts]
    svgs = iter(charts.render_svgs(options))
    for section in sections:
        section.svgs = [(title, svg_data_uri(next(svgs))) for title, _ in section.charts]


@contextmanager
def without_cycle_collector():
    """WeasyPrint builds hundreds of thousands of small objects (boxes, styles) that live until the PDF is written:
    the cycle collector kept walking them all, about a third of a large report's time. It runs again right after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def print_pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "generated_at": timezone.localtime()})
    with without_cycle_collector():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def quarterly_context(organization, quarter: Quarter) -> dict:
    group = sources.group_for(organization)
    sections = [sources.procedure_section(p, group) for p in sources.procedures_in(quarter, group)]
    legend = sources.shared_legend(sections)
    attach_charts([*sections, legend])
    years = {s.procedure.year for s in sections} or {quarter.year}
    signs = list(sources.flagged_signs(group, years))
    shnor = sources.shnor_entries(group, quarter)
    progress = sources.roadmap_progress(group, quarter)
    indicators = same_roadmap_figures(sources.indicator_rows(organization, quarter), progress["counts"])
    if indicators:
        indicators = [{**row, "change": None if row.get("value") is None or row.get("previous_value") is None
                       else row["value"] - row["previous_value"]} for row in indicators]
    signs_schools = len({s.school_id for s in signs})
    return {
        "organization": organization, "group": group, "quarter": quarter, "sections": sections,
        "subject_title": sources.subject_title(group),
        "tasks_legend": legend.svgs,
        "sign_rows": sources.school_sign_rows(signs), "signs_count": len(signs), "signs_schools": signs_schools,
        "overview": sources.children_overview(sections) if group.level != Level.SCHOOL else None,
        "shnor": shnor, "shnor_table": printable(stats.school_list_table(shnor["selected"], "low"),
                                 drop=("warning",) if group.level == Level.REGION else ("municipality",)),
        "progress": progress, "indicators": indicators, "cases": sources.objectivity_cases(group, years),
        "summary": summary.summary(sections, len(signs), signs_schools, len(shnor["selected"]), progress, indicators),
        "child_title": {Level.REGION: "по муниципалитетам", Level.MUNICIPALITY: "по ОО"}.get(group.level),
    }


ROADMAP_INDICATORS = {"roadmap_done": "done_pct", "roadmap_overdue": "overdue_pct"}


def same_roadmap_figures(indicators: list[dict], counts: dict) -> list[dict]:
    """The indicator table's roadmap rows print the section's own figures (one definition: execution at the
    quarter's end), also when the quarter's indicator values were never frozen."""
    return [{**row, "value": counts[ROADMAP_INDICATORS[row["code"]]]} if row.get("code") in ROADMAP_INDICATORS else row
            for row in indicators]


def quarterly_figures(context: dict) -> dict:
    return {"procedures": {s.procedure.code: {k: s.marks.get(k) for k in ("participants", "success_pct", "quality_pct", "pct_2")}
                           for s in context["sections"]},
            "signs": context["signs_count"], "shnor": len(context["shnor"]["selected"]),
            "roadmaps": context["progress"]["counts"]}


def render_quarterly(organization, quarter: Quarter) -> Rendered:
    context = quarterly_context(organization, quarter)
    pdf = print_pdf("reports/pdf/quarterly.html", context)
    title = f"Квартальный отчёт РСОКО: {context['subject_title']}, {quarter.title}"
    return Rendered(pdf, title, f"kvartalnyi-otchet-{organization.code}-{quarter.code}.pdf", quarterly_figures(context))


def procedure_context(procedure) -> dict:
    region = stats.Group(Level.REGION)
    section = sources.procedure_section(procedure, region, charts=(
        "marks_chart", "journal_chart", "distribution_chart", "tasks_chart", "by_mark_chart", "dynamics_chart"),
        compact=False)
    attach_charts([section])
    signs = list(sources.flagged_signs(region, {procedure.year}).filter(procedure=procedure))
    recommendation = getattr(procedure, "recommendation", None)
    deficits = [line for line in section.parts["planned_table"].iter_rows() if line.get("status") != "achieved"]
    parts = section.parts
    return {"procedure": procedure, "section": section, "a": section.analytics, "signs": signs,
            "sign_rows": sources.school_sign_rows(signs, name_procedures=False),
            "signs_schools": len({s.school_id for s in signs}),
            "children_table": printable(parts["children_table"]),
            "task_table": printable(parts["task_table"], drop=("warning", "region_solve_pct")),
            "planned_table": printable(parts["planned_table"]),
            "deficits": deficits, "recommendation": recommendation, "today": date.today()}


def render_procedure(procedure) -> Rendered:
    context = procedure_context(procedure)
    pdf = print_pdf("reports/pdf/procedure.html", context)
    marks = context["section"].marks
    figures = {"procedure": procedure.code, **{k: marks.get(k) for k in ("participants", "success_pct", "quality_pct", "pct_2")}}
    return Rendered(pdf, f"Аналитический отчёт: {sources.procedure_label(procedure)}", f"analiticheskii-otchet-{procedure.code}.pdf", figures)


def render_campaign(campaign, organization) -> Rendered:
    """The re-check campaign's summary for the region, a municipality or a school (reports.campaigns)."""
    context = campaigns.campaign_context(campaign, organization)
    attach_charts([context["charts"]])
    pdf = print_pdf("reports/pdf/campaign.html", context)
    return Rendered(pdf, f"Сводка перепроверки работ: {campaign.title}, {context['subject_title']}",
                    f"svodka-pereproverki-{campaign.pk}-{organization.code}.pdf", campaigns.campaign_figures(context))
