"""Analytics pages: everything comes from the selectors (precomputed, scoped); views only arrange it."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.generic import FormView, ListView, TemplateView

from assessments.models import Procedure
from rsoko.exports import page_export, requested_export, table_response
from rsoko.orgs.access import scope_for
from rsoko.orgs.views_mixins import CapabilityRequiredMixin

from . import charts, selectors, services
from .filtersets import SignFilterSet
from .forms import CriterionForm
from .models import FederalMark, Form, Level, ObjectivityCriterion, ObjectivitySign, SchoolListEntry


class FederalListForm(forms.Form):
    file = forms.FileField(label="Файл перечня (.xlsx, .csv)",
                           help_text="Столбцы «Код ОО», «Год» и «Маркеры» (например, «4 РУ, 5 МА») или столбцы маркеров.")


def query_group(request):
    params = request.GET
    return selectors.resolve_group(
        request.user, level=params.get("level"), municipality_id=params.get("municipality") or None,
        school_id=params.get("school") or None, class_name=params.get("class"),
    )


class ProcedureListView(CapabilityRequiredMixin, TemplateView):
    capability = "results.view"
    template_name = "stats/procedure_list.html"

    def get(self, request, *args, **kwargs):
        group = selectors.resolve_group(request.user)
        rows = selectors.procedure_overview(request.user, group)
        export = requested_export(request)
        if export:
            return table_response(selectors.overview_table(rows, group), export, request.user)
        return self.render_to_response(self.get_context_data(group=group, rows=rows))


class ProcedureAnalyticsView(CapabilityRequiredMixin, TemplateView):
    capability = "results.view"
    template_name = "stats/procedure_analytics.html"
    tables = {"children": selectors.children_table, "tasks": selectors.task_table, "planned": selectors.planned_table}

    def get(self, request, *args, **kwargs):
        procedure = get_object_or_404(Procedure.objects.visible_to(request.user), code=kwargs["code"])
        analytics = selectors.procedure_analytics(request.user, procedure, query_group(request))
        export, table = requested_export(request), request.GET.get("table")
        if export and table in self.tables:
            return table_response(self.tables[table](analytics), export, request.user)
        if export and selectors.has_pupil_tables(analytics.group) and table in selectors.PUPIL_TABLES:
            pupils = selectors.PUPIL_TABLES[table].table(request.user, procedure, analytics.group)
            return table_response(pupils, export, request.user)
        return self.render_to_response(self.get_context_data(analytics=analytics))

    def get_context_data(self, analytics, **kwargs):
        # Pupil-level rows are not rendered here: only their counts; each table loads on demand, page by page.
        counts = selectors.pupil_counts(self.request.user, analytics.procedure, analytics.group)
        can_fix = scope_for(self.request.user).can("results.upload")
        return super().get_context_data(**kwargs, charts=True, a=analytics, pupil_counts=counts,
                                        can_fix_quarantine=can_fix,
                                        pupil_query=group_query(analytics.group), pupil_page_size=PUPIL_PAGE_SIZE,
                                        **page_parts(analytics))


PUPIL_PAGE_SIZE = 50
FRAGMENT_HEADER = "X-Fragment"  # sent by static/js/pupil-tables.js: the table alone, to put inside the page


def group_query(group) -> str:
    """The query string naming a school or class group, for links that must reach the same group."""
    if not selectors.has_pupil_tables(group):
        return ""
    params = {"school": group.school.pk}
    if group.level == Level.CLASS:
        params["class"] = group.class_name
    return urlencode(params)


def requested_page(paginator: Paginator, raw: str | None) -> tuple[Page, str]:
    """The page asked for by ?page=, or the nearest one with a notice why: a stale or mistyped link still shows rows."""
    if not raw:
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), f"Номер страницы «{raw[:20]}» не распознан — показана первая страница."
    if number < 1:
        return paginator.page(1), f"Страницы {number} нет — показана первая страница."
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), f"Страницы {number} нет: всего страниц {last} — показана последняя."
    return paginator.page(number), ""


class PupilTableView(CapabilityRequiredMixin, TemplateView):
    """One page of a pupil-level table (risk group, individual results) of a school or class.

    The procedure page fetches it into its <details> (the fragment alone); opened directly, without JS, it is a
    page of its own. The same access rules as the procedure page: a procedure and a group the user may see, and
    a school or class group. ?export=xlsx|csv gives all rows, logged like the procedure page's export.
    """

    capability = "results.view"

    def get(self, request, *args, **kwargs):
        procedure = get_object_or_404(Procedure.objects.visible_to(request.user), code=kwargs["code"])
        spec = selectors.PUPIL_TABLES.get(kwargs["table"])
        if spec is None:
            raise Http404("Такой таблицы по участникам нет.")
        group = query_group(request)
        if not selectors.has_pupil_tables(group):
            raise Http404("Таблицы по участникам есть только у ОО и класса.")
        fmt = requested_export(request)
        if fmt:
            return table_response(spec.table(request.user, procedure, group), fmt, request.user)
        paginator = Paginator(spec.rows(request.user, procedure, group), PUPIL_PAGE_SIZE)
        page, notice = requested_page(paginator, request.GET.get("page"))
        response = self.render_to_response(self.get_context_data(
            procedure=procedure, group=group, spec=spec, page_obj=page, notice=notice,
            left_out_note=selectors.left_out_note(selectors.left_out_rows(procedure, group)),
            table=spec.table(request.user, procedure, group, page.object_list), pupil_query=group_query(group)))
        patch_vary_headers(response, [FRAGMENT_HEADER])
        return response

    def get_template_names(self):
        fragment = self.request.headers.get(FRAGMENT_HEADER) == "1"
        return ["stats/_pupil_table.html" if fragment else "stats/pupil_table.html"]


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
        export = requested_export(self.request)
        if export:
            return table_response(selectors.sign_table(self.object_list), export, self.request.user)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, filter=self.filterset,
                                        summary=selectors.sign_summary(self.request.user, self.filterset.qs))


class SchoolSignsView(CapabilityRequiredMixin, TemplateView):
    """One school: every sign with its evidence and the school's history over the years."""

    capability = "results.view"
    template_name = "stats/school_signs.html"

    def get(self, request, *args, **kwargs):
        export = requested_export(request)
        if export:
            school = get_object_or_404(selectors.visible_schools(request.user), code=kwargs["code"])
            signs = selectors.school_sign_history(request.user, school)["signs"]
            return table_response(selectors.sign_table(signs), export, request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        school = get_object_or_404(selectors.visible_schools(self.request.user), code=kwargs["code"])
        return super().get_context_data(**kwargs, charts=True, school=school,
                                        **selectors.school_sign_history(self.request.user, school))


class SchoolListView(CapabilityRequiredMixin, TemplateView):
    """ШНОР (kind=low) or the bank of schools with high results (kind=high), read against context."""

    capability = "results.view"
    template_name = "stats/school_list.html"
    kind = SchoolListEntry.Kind.LOW

    def get(self, request, *args, **kwargs):
        year = request.GET.get("year")
        lists = selectors.school_lists(request.user, int(year) if year and year.isdigit() else None, self.kind)
        export = requested_export(request)
        if export:
            table = selectors.school_list_table(lists["selected"], self.kind)
            return table_response(table, export, request.user)
        return self.render_to_response(self.get_context_data(kind=self.kind, **lists))


class CriterionListView(CapabilityRequiredMixin, TemplateView):
    capability = "results.view"
    template_name = "stats/criteria.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, criteria=ObjectivityCriterion.objects.all())

    def render_to_response(self, context, **kwargs):
        return page_export(self.request, {"criteria": lambda: selectors.criterion_table(context["criteria"])}) or \
            super().render_to_response(context, **kwargs)


class CriterionEditView(CapabilityRequiredMixin, FormView):
    """The ministry changes a threshold: a new version of the criterion and a recomputation job."""

    capability = "objectivity.manage"
    template_name = "stats/criterion_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.criterion = get_object_or_404(ObjectivityCriterion, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return CriterionForm(self.request.POST or None, criterion=self.criterion)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, criterion=self.criterion)

    def form_valid(self, form):
        changed, job = services.criterion_update(actor=self.request.user, criterion=self.criterion,
                                                 params=form.params(), is_active=form.cleaned_data["is_active"])
        if not changed:
            messages.info(self.request, "Изменений нет.")
            return redirect("stats:criteria")
        messages.success(self.request, f"Критерий сохранён (версия {self.criterion.version}).")
        return redirect("jobs:job_detail", pk=job.pk) if job else redirect("stats:criteria")


class FederalListView(CapabilityRequiredMixin, FormView):
    """The federal lists of schools with signs: upload by year, and the lists already loaded."""

    capability = "results.view"
    template_name = "stats/federal_list.html"
    form_class = FederalListForm

    def post(self, request, *args, **kwargs):
        if not scope_for(request.user).can("objectivity.manage"):
            raise PermissionDenied("Загружать федеральный перечень может министерство.")
        return super().post(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        export = requested_export(request)
        if export:
            return table_response(selectors.federal_mark_table(self.marks()), export, request.user)
        return super().get(request, *args, **kwargs)

    def marks(self):
        marks = FederalMark.objects.visible_to(self.request.user).select_related("school__municipality")
        return marks.order_by("-year", "school__short_name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, marks=self.marks())

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            summary = services.federal_list_import(actor=self.request.user, name=upload.name, data=upload.read())
        except services.FederalListError as exc:
            for error in exc.errors[:50]:
                form.add_error("file", error)
            return self.form_invalid(form)
        messages.success(self.request, f"Загружено школ: {summary['schools']} за {', '.join(map(str, summary['years']))} г.")
        return redirect("stats:federal_list")
