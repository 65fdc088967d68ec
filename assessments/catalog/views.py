"""Pages of the procedure catalog. Reads go through selectors (scoped), writes through services."""
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import ListView, TemplateView
from django_filters.views import FilterView

from rsoko.exports import TableExportMixin, page_export
from rsoko.orgs.access import scope_for
from rsoko.orgs.models import Municipality
from rsoko.orgs.views_mixins import CapabilityRequiredMixin, capability_required

from .. import upload_template
from ..choices import ProcedureStatus
from ..models import Procedure
from ..scales import describe_boundaries
from . import exports, forms, selectors, services
from .filtersets import ProcedureFilterSet, ScheduleFilterSet

MANAGE = "procedures.manage"


def procedure_or_404(request, code: str) -> Procedure:
    procedure = selectors.procedure_for(request.user, code)
    if procedure is None:
        raise Http404("Процедура не найдена.")
    return procedure


def managed_or_404(request, code: str) -> Procedure:
    """A procedure the user may change: out of sight → 404, in sight but another's (a МОУО and a regional
    procedure) → 403."""
    procedure = procedure_or_404(request, code)
    if not selectors.can_manage(request.user, procedure):
        raise PermissionDenied("Эту процедуру ведёт её организатор: изменять её вы не можете.")
    return procedure


class ManagesProceduresMixin:
    """The gate of the catalog's writing pages: a right to manage some procedure (which one: managed_or_404)."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.manages_any(request.user):
            raise PermissionDenied("Недостаточно прав для этой страницы.")
        return super().dispatch(request, *args, **kwargs)


def manages_procedures(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.manages_any(request.user):
            raise PermissionDenied("Недостаточно прав для этого действия.")
        return view(request, *args, **kwargs)

    return wrapped


def report_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class KindListView(CapabilityRequiredMixin, ListView):
    capability = "procedures.view"
    template_name = "assessments/catalog/kind_list.html"

    def get_queryset(self):
        return selectors.kinds_with_counts()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, reference_scales=selectors.reference_scales())

    def render_to_response(self, context, **kwargs):
        return page_export(self.request, {
            "kinds": lambda: exports.kind_table(self.object_list),
            "scales": lambda: exports.reference_scale_table(selectors.reference_scales()),
        }) or super().render_to_response(context, **kwargs)


class ProcedureListView(CapabilityRequiredMixin, TableExportMixin, FilterView):
    capability = "procedures.view"
    filterset_class = ProcedureFilterSet
    template_name = "assessments/catalog/procedure_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.procedures_for(self.request.user)

    def export_table(self, rows):
        return selectors.procedure_table(rows)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, can_manage=selectors.can_create(self.request.user))


class ProcedureDetailView(CapabilityRequiredMixin, TemplateView):
    capability = "procedures.view"
    template_name = "assessments/catalog/procedure_detail.html"

    def get(self, request, *args, **kwargs):
        procedure = procedure_or_404(request, kwargs["code"])
        return page_export(request, {
            "tasks": lambda: exports.task_table(procedure),
            "participation": lambda: exports.participation_table(
                procedure, selectors.participation_by_municipality(request.user, procedure)),
            "scale": lambda: exports.scale_table(procedure),
        }) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        procedure = procedure_or_404(self.request, self.kwargs["code"])
        scope = scope_for(self.request.user)
        scale = getattr(procedure, "scale", None)
        by_municipality = selectors.participation_by_municipality(self.request.user, procedure)
        return super().get_context_data(
            **kwargs,
            procedure=procedure,
            tasks=procedure.tasks.all(),
            scale=scale,
            scale_rows=describe_boundaries(scale.boundaries, procedure.max_score) if scale else [],
            scale_problems=selectors.scale_problems(procedure),
            reference=selectors.reference_scale_for(procedure) if scale is None else None,
            by_municipality=by_municipality,
            visible_total=sum(row["total"] for row in by_municipality),
            counts=selectors.participation_counts(procedure),
            transitions=[(s, ProcedureStatus(s).label) for s in services.allowed_transitions(procedure.status)],
            steps=[(s, s.label, i <= services.STATUS_FLOW.index(procedure.status))
                   for i, s in enumerate(services.STATUS_FLOW)],
            can_manage=selectors.can_manage(self.request.user, procedure),
            can_upload=scope.can("results.upload"),
            codifier_form=forms.CodifierUploadForm(),
        )


def current_year() -> int:
    return selectors.current_academic_year(timezone.localdate())


def procedure_form(user, data=None, **kwargs) -> forms.ProcedureForm:
    """The full form for the region's catalog keepers; a МОУО's form offers municipal kinds only, its own office
    being the organizer."""
    if scope_for(user).can(MANAGE):
        return forms.ProcedureForm(data, **kwargs)
    return forms.ProcedureForm(data, municipal_organizer=selectors.municipal_organizer_for(user), **kwargs)


class ProcedureCreateView(TemplateView):
    template_name = "assessments/catalog/procedure_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.can_create(request.user):
            raise PermissionDenied("Недостаточно прав для этой страницы.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = procedure_form(request.user, initial={"year": current_year()})
        return render(request, self.template_name, {"form": form})

    def post(self, request, *args, **kwargs):
        form = procedure_form(request.user, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    procedure = services.procedure_create(actor=request.user, **form.service_fields())
                    scale, note = services.scale_apply_official(actor=request.user, procedure=procedure)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                todo = "спецификацию и участников" if scale else "спецификацию, шкалу и участников"
                messages.success(request, f"Процедура {procedure.code} создана. {note} Добавьте {todo}.")
                return redirect("catalog:procedure_detail", code=procedure.code)
        return render(request, self.template_name, {"form": form})


class ProcedureEditView(ManagesProceduresMixin, TemplateView):
    template_name = "assessments/catalog/procedure_form.html"

    def get(self, request, *args, **kwargs):
        procedure = managed_or_404(request, kwargs["code"])
        form = procedure_form(request.user, instance=procedure)
        return render(request, self.template_name, {"form": form, "procedure": procedure})

    def post(self, request, *args, **kwargs):
        procedure = managed_or_404(request, kwargs["code"])
        form = procedure_form(request.user, request.POST, instance=procedure)
        if form.is_valid():
            fields = form.service_fields()
            fields["code"] = fields["code"] or procedure.code
            try:
                services.procedure_update(actor=request.user, procedure=procedure, **fields)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Изменения сохранены.")
                return redirect("catalog:procedure_detail", code=procedure.code)
        return render(request, self.template_name, {"form": form, "procedure": procedure})


@require_POST
@manages_procedures
def procedure_status_view(request, code):
    procedure = managed_or_404(request, code)
    try:
        services.procedure_status_set(actor=request.user, procedure=procedure, status=request.POST.get("status", ""))
        messages.success(request, f"Состояние: {procedure.get_status_display()}.")
    except ValidationError as exc:
        report_errors(request, exc)
    return redirect("catalog:procedure_detail", code=procedure.code)


class ParticipantsView(CapabilityRequiredMixin, TemplateView):
    """The participating schools: the full list, bulk add and controlled-sample marking."""

    capability = "procedures.view"
    template_name = "assessments/catalog/participants.html"

    def get_context_data(self, **kwargs):
        procedure = procedure_or_404(self.request, self.kwargs["code"])
        municipalities = Municipality.objects.visible_to(self.request.user)
        query = self.request.GET
        participations = self.participations(procedure)
        return super().get_context_data(
            procedure=procedure,
            participations=participations,
            municipalities=municipalities,
            query=query,
            counts=selectors.participation_counts(procedure),
            can_manage=selectors.can_manage(self.request.user, procedure),
            bulk_form=kwargs.get("bulk_form") or forms.BulkSchoolsForm(municipalities=municipalities),
            control_choices=forms.ControlKind.choices[1:],
        )

    def participations(self, procedure):
        query = self.request.GET
        return selectors.filter_participations(
            selectors.participations_for(self.request.user, procedure), query=query.get("q", "").strip(),
            municipality_id=query.get("municipality", ""), controlled_only=query.get("controlled") == "1",
        )

    def get(self, request, *args, **kwargs):
        procedure = procedure_or_404(request, kwargs["code"])
        return page_export(request, {
            "participants": lambda: exports.participants_table(procedure, self.participations(procedure)),
        }) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not selectors.manages_any(request.user):
            raise PermissionDenied("Недостаточно прав для этого действия.")
        procedure = managed_or_404(request, kwargs["code"])
        if request.POST.get("form") == "bulk":
            return self.bulk_add(request, procedure)
        return self.act_on_selected(request, procedure)

    def bulk_add(self, request, procedure):
        form = forms.BulkSchoolsForm(request.POST, municipalities=Municipality.objects.visible_to(request.user))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bulk_form=form))
        data = form.cleaned_data
        schools, unknown = selectors.bulk_schools(
            request.user, mode=data["mode"], municipality=data.get("municipality"), level=data.get("level") or "",
            codes_text=data.get("codes") or "", within=procedure.owner_municipality_id,
        )
        try:
            added = services.procedure_schools_add(actor=request.user, procedure=procedure, schools=schools,
                                                   control=data.get("control") or "")
        except ValidationError as exc:
            report_errors(request, exc)
            return redirect("catalog:participants", code=procedure.code)
        messages.success(request, f"Добавлено школ: {added} (уже участвовали: {len(schools) - added}).")
        if unknown:
            messages.warning(request, "Не найдены в реестре (или вне вашей области доступа): " + ", ".join(unknown[:50]))
        return redirect("catalog:participants", code=procedure.code)

    def act_on_selected(self, request, procedure):
        ids = list(procedure.participations.values_list("school_id", flat=True))
        form = forms.ParticipantsActionForm(request.POST, school_ids=ids)
        if not form.is_valid():
            messages.error(request, "Отметьте школы в таблице и выберите действие.")
            return redirect("catalog:participants", code=procedure.code)
        data = form.cleaned_data
        try:
            if data["action"] == "remove":
                count = services.procedure_schools_remove(actor=request.user, procedure=procedure, school_ids=data["schools"])
                messages.success(request, f"Исключено школ: {count}.")
            else:
                count = services.procedure_control_set(actor=request.user, procedure=procedure,
                                                       school_ids=data["schools"], control=data.get("control") or "")
                messages.success(request, f"Отметка контроля изменена у школ: {count}.")
        except ValidationError as exc:
            report_errors(request, exc)
        return redirect("catalog:participants", code=procedure.code)


class TasksEditView(ManagesProceduresMixin, TemplateView):
    template_name = "assessments/catalog/tasks_form.html"

    def get(self, request, *args, **kwargs):
        procedure = managed_or_404(request, kwargs["code"])
        initial = list(procedure.tasks.values("label", "max_score", "level", "skill", "block", "kes_codes", "kt_codes"))
        return self.show(procedure, forms.TaskFormSet(initial=initial))

    def post(self, request, *args, **kwargs):
        procedure = managed_or_404(request, kwargs["code"])
        formset = forms.TaskFormSet(request.POST)
        if formset.is_valid():
            try:
                tasks = services.procedure_tasks_replace(actor=request.user, procedure=procedure, specs=formset.specs())
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, f"Спецификация сохранена: заданий {len(tasks)}.")
                return redirect("catalog:procedure_detail", code=procedure.code)
        return self.show(procedure, formset)

    def show(self, procedure, formset):
        return render(self.request, self.template_name, {"procedure": procedure, "formset": formset})


@require_POST
@manages_procedures
def codifier_upload_view(request, code):
    procedure = managed_or_404(request, code)
    form = forms.CodifierUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите файл кодификатора.")
        return redirect("catalog:procedure_detail", code=procedure.code)
    upload = form.cleaned_data["file"]
    try:
        tasks = services.codifier_import(
            actor=request.user, procedure=procedure, filename=upload.name, data=upload.read(),
            limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024, source="веб: кодификатор",
            any_year=form.cleaned_data.get("any_year", False),
        )
    except ValidationError as exc:
        messages.error(request, f"Кодификатор «{upload.name}» не загружен, спецификация не изменена.")
        report_errors(request, exc)
    else:
        messages.success(request, f"Кодификатор загружен: заданий {len(tasks)}, максимальный балл {sum(t.max_score for t in tasks)}.")
    return redirect("catalog:procedure_detail", code=procedure.code)


class ScaleEditView(ManagesProceduresMixin, TemplateView):
    template_name = "assessments/catalog/scale_form.html"

    def get(self, request, *args, **kwargs):
        procedure = managed_or_404(request, kwargs["code"])
        form = forms.ScaleForm(initial=forms.ScaleForm.initial_for(getattr(procedure, "scale", None)),
                               grading=procedure.kind.grading)
        return self.show(procedure, form)

    def post(self, request, *args, **kwargs):
        procedure = managed_or_404(request, kwargs["code"])
        form = forms.ScaleForm(request.POST, grading=procedure.kind.grading)
        if form.is_valid():
            try:
                services.scale_set(actor=request.user, procedure=procedure, data=form.scale_data(),
                                   source_text=form.cleaned_data["source_text"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Шкала сохранена.")
                return redirect("catalog:procedure_detail", code=procedure.code)
        return self.show(procedure, form)

    def show(self, procedure, form):
        return render(self.request, self.template_name, {
            "procedure": procedure, "form": form, "reference": selectors.reference_scale_for(procedure),
            "task_labels": list(procedure.tasks.values_list("label", flat=True)),
        })


@require_POST
@manages_procedures
def scale_reference_view(request, code):
    procedure = managed_or_404(request, code)
    reference = selectors.reference_scale_for(procedure)
    if reference is None:
        messages.error(request, "Для этой процедуры нет эталонной шкалы.")
    else:
        try:
            services.scale_apply_reference(actor=request.user, procedure=procedure, reference=reference)
            messages.success(request, f"Применена эталонная шкала {reference.year} года.")
        except ValidationError as exc:
            report_errors(request, exc)
    return redirect("catalog:procedure_detail", code=procedure.code)


def template_tasks(procedure) -> list[upload_template.TemplateTask]:
    return [upload_template.TemplateTask(t.label, t.max_score) for t in procedure.tasks.order_by("position")]


def template_ready_or_redirect(request, procedure):
    if not procedure.tasks.exists():
        messages.error(request, "Шаблон появится после загрузки спецификации заданий.")
        return redirect("catalog:procedure_detail", code=procedure.code)
    return None


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@capability_required("results.upload")
def template_xlsx_view(request, code):
    procedure = procedure_or_404(request, code)
    refused = template_ready_or_redirect(request, procedure)
    if refused:
        return refused
    content = upload_template.template_xlsx(
        title=f"{procedure.kind.code} {procedure.subject.name}{f', {procedure.grade} класс' if procedure.grade else ''} "
              f"({procedure.code})",
        tasks=template_tasks(procedure),
        school_codes=list(selectors.upload_schools_for(request.user, procedure).values_list("code", flat=True)),
        variants=list(procedure.variants or []),
    )
    return download(content, f"template_{procedure.code}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@capability_required("results.upload")
def template_csv_view(request, code):
    procedure = procedure_or_404(request, code)
    refused = template_ready_or_redirect(request, procedure)
    if refused:
        return refused
    return download(upload_template.template_csv(template_tasks(procedure)), f"template_{procedure.code}.csv",
                    "text/csv; charset=utf-8")


class ScheduleView(CapabilityRequiredMixin, TemplateView):
    """План-график: the year's procedures by date, grouped by month; printable."""

    capability = "procedures.view"
    template_name = "assessments/catalog/schedule.html"

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.setdefault("year", str(current_year()))
        filterset = ScheduleFilterSet(params, request=self.request, queryset=Procedure.objects.none())
        data = filterset.form.cleaned_data if filterset.form.is_valid() else {}
        year = data.get("year") or current_year()
        groups, undated = selectors.schedule_for(
            self.request.user, year=int(year), kind=data.get("kind"), level=data.get("level") or "",
            municipality=data.get("municipality"),
        )
        return super().get_context_data(
            **kwargs, filter=filterset, year=int(year), groups=groups, undated=undated,
            total=sum(len(items) for _, items in groups) + len(undated),
        )

    def render_to_response(self, context, **kwargs):
        return page_export(self.request, {
            "schedule": lambda: exports.schedule_table(context["year"], context["groups"], context["undated"]),
        }) or super().render_to_response(context, **kwargs)
