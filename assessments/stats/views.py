"""Analytics pages: everything comes from the selectors (precomputed, scoped); views only arrange it."""
from django.shortcuts import get_object_or_404
from django.views.generic import ListView, TemplateView

from assessments.models import Procedure
from rsoko.exports import table_response
from rsoko.orgs.views_mixins import CapabilityRequiredMixin

from . import charts, selectors
from .filtersets import SignFilterSet
from .models import Form, Level, ObjectivitySign


def query_group(request):
    params = request.GET
    return selectors.resolve_group(
        request.user, level=params.get("level"), municipality_id=params.get("municipality") or None,
        school_id=params.get("school") or None, class_name=params.get("class"),
    )


class ProcedureListView(CapabilityRequiredMixin, TemplateView):
    capability = "results.view"
    template_name = "stats/procedure_list.html"

    def get_context_data(self, **kwargs):
        group = selectors.resolve_group(self.request.user)
        return super().get_context_data(**kwargs, group=group,
                                        rows=selectors.procedure_overview(self.request.user, group))


class ProcedureAnalyticsView(CapabilityRequiredMixin, TemplateView):
    capability = "results.view"
    template_name = "stats/procedure_analytics.html"
    tables = {"children": selectors.children_table, "tasks": selectors.task_table, "planned": selectors.planned_table}

    def get(self, request, *args, **kwargs):
        procedure = get_object_or_404(Procedure.objects.visible_to(request.user), code=kwargs["code"])
        analytics = selectors.procedure_analytics(request.user, procedure, query_group(request))
        export, table = request.GET.get("export"), request.GET.get("table")
        if export in {"xlsx", "csv"} and table in self.tables:
            return table_response(self.tables[table](analytics), export, request.user)
        return self.render_to_response(self.get_context_data(analytics=analytics))

    def get_context_data(self, analytics, **kwargs):
        return super().get_context_data(**kwargs, charts=True, a=analytics, **page_parts(analytics))


def page_parts(analytics) -> dict:
    """Tables and chart options of the procedure page (the PDF report uses the same parts)."""
    group, forms = analytics.group, analytics.forms
    marks = forms.get(Form.MARKS)
    series = [(group.title, marks.data)] if marks else []
    series += [(b.title, rows[Form.MARKS].data) for b, rows in analytics.benchmarks if Form.MARKS in rows]
    journal = [(group.title, forms[Form.JOURNAL].data)] if Form.JOURNAL in forms else []
    journal += [(b.title, rows[Form.JOURNAL].data) for b, rows in analytics.benchmarks if Form.JOURNAL in rows]
    parts = {
        "marks": marks,
        "children_table": selectors.children_table(analytics),
        "task_table": selectors.task_table(analytics),
        "planned_table": selectors.planned_table(analytics),
        "marks_chart": charts.marks_chart(series) if series else None,
        "journal_chart": charts.journal_chart(journal) if journal else None,
        "child_level": selectors.child_level(group),
    }
    if Form.DISTRIBUTION in forms:
        parts["distribution_chart"] = charts.distribution_chart(forms[Form.DISTRIBUTION].data)
        parts["distribution_row"] = forms[Form.DISTRIBUTION]
    if Form.TASKS in forms:
        parts["tasks_chart"] = charts.tasks_chart(forms[Form.TASKS].data, group.level, group.title)
    if Form.TASKS_BY_MARK in forms:
        parts["by_mark_chart"] = charts.by_mark_chart(forms[Form.TASKS_BY_MARK].data)
    if len(analytics.dynamics) > 1:
        parts["dynamics_chart"] = charts.dynamics_chart(analytics.dynamics)
    return parts


class SignListView(CapabilityRequiredMixin, ListView):
    """Schools with signs that need further analysis: filters, explanations, history."""

    capability = "results.view"
    template_name = "stats/sign_list.html"
    paginate_by = 50

    def get_queryset(self):
        signs = ObjectivitySign.objects.visible_to(self.request.user).select_related(
            "school__municipality", "procedure__subject", "procedure__kind")
        self.filterset = SignFilterSet(self.request.GET or {"flagged": "true"}, queryset=signs, request=self.request)
        return self.filterset.qs.order_by("-year", "school__municipality__name", "school__short_name", "criterion")

    def render_to_response(self, context, **kwargs):
        export = self.request.GET.get("export")
        if export in {"xlsx", "csv"}:
            return table_response(selectors.sign_table(self.object_list), export, self.request.user)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, filter=self.filterset,
                                        summary=selectors.sign_summary(self.request.user, self.filterset.qs))


class SchoolSignsView(CapabilityRequiredMixin, TemplateView):
    """One school: every sign with its evidence and the school's history over the years."""

    capability = "results.view"
    template_name = "stats/school_signs.html"

    def get_context_data(self, **kwargs):
        school = get_object_or_404(selectors.visible_schools(self.request.user), code=kwargs["code"])
        return super().get_context_data(**kwargs, charts=True, school=school,
                                        **selectors.school_sign_history(self.request.user, school))
