"""Pages of the bank of test materials. Reads go through selectors (scoped), writes through services."""
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from rsoko.exports import TableExportMixin, page_export
from rsoko.orgs.access import scope_for
from rsoko.orgs.views_mixins import ScopedQuerysetMixin, capability_required
from assessments.codifier import CodifierError, parse_codifier
from rsoko.tables import TableFileError, read_table_file

from . import forms, selectors, services
from .choices import FileRole
from .filtersets import VariantFilterSet
from .files import MaterialFileError
from .models import Variant, VariantFile, VariantUse


def visible_variant(request, pk) -> Variant:
    return get_object_or_404(Variant.objects.visible_to(request.user).select_related("kind", "subject"), pk=pk)


def client_address(request) -> str | None:
    # REMOTE_ADDR is what the server saw; behind a TLS proxy Django's settings decide what that is.
    return request.META.get("REMOTE_ADDR") or None


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class VariantListView(ScopedQuerysetMixin, TableExportMixin, FilterView):
    capability = "kim.view"
    model = Variant
    filterset_class = VariantFilterSet
    template_name = "kimbank/variant_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.variants_for(self.request.user)

    def export_table(self, variants):
        return selectors.variant_table(variants)


class VariantDetailView(ScopedQuerysetMixin, DetailView):
    capability = "kim.view"
    model = Variant
    template_name = "kimbank/variant_detail.html"

    def render_to_response(self, context, **kwargs):
        return page_export(self.request, {
            "tasks": lambda: selectors.variant_task_table(self.object),
            "uses": lambda: selectors.variant_use_table(self.object),
        }) or super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        user, variant = self.request.user, self.object
        return super().get_context_data(
            **kwargs,
            can_edit=services.can_edit(user, variant),
            can_use=scope_for(user).can("kim.use") and variant.status == "approved",
            transitions=[(name, services.TRANSITION_LABELS[name]) for name in services.allowed_transitions(user, variant)],
            transition_form=forms.TransitionForm(),
            file_form=forms.VariantFileForm(),
            tasks=variant.tasks.all(),
            files=variant.files.all(),
            uses=variant.uses.select_related("procedure"),
            authors=variant.authors.all(),
        )


@capability_required("kim.author")
def variant_edit_view(request, pk=None):
    variant = visible_variant(request, pk) if pk else Variant()
    if pk and not services.can_edit(request.user, variant):
        raise PermissionDenied("Этот вариант сейчас нельзя изменять.")
    form = forms.VariantForm(request.POST or None, instance=variant)
    if request.method == "POST" and form.is_valid():
        variant = services.variant_save(actor=request.user, variant=form.save(commit=False),
                                        authors=list(form.cleaned_data["authors"]))
        messages.success(request, f"Сохранено: {variant}.")
        return redirect("kimbank:variant_detail", pk=variant.pk)
    return render(request, "kimbank/variant_form.html", {"form": form, "variant": variant})


def editable_variant(request, pk) -> Variant:
    variant = visible_variant(request, pk)
    services.require_edit(request.user, variant)
    return variant


@capability_required("kim.view")
def variant_tasks_view(request, pk):
    variant = editable_variant(request, pk)
    initial = list(variant.tasks.values("position", "label", "max_score", "level", "skill", "block",
                                        "kes_codes", "kt_codes", "answer", "criteria"))
    formset = forms.TaskFormSet(request.POST or None, initial=initial, prefix="tasks")
    if request.method == "POST" and formset.is_valid():
        count = services.variant_tasks_replace(actor=request.user, variant=variant, tasks=formset.task_fields())
        messages.success(request, f"Кодификатор сохранён: заданий — {count}.")
        return redirect("kimbank:variant_detail", pk=variant.pk)
    return render(request, "kimbank/variant_tasks.html", {
        "variant": variant, "formset": formset, "import_form": forms.CodifierImportForm(),
    })


@require_POST
@capability_required("kim.view")
def codifier_import_view(request, pk):
    variant = editable_variant(request, pk)
    form = forms.CodifierImportForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheets = read_table_file(upload.name, upload.read(), limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024)
            tasks = [spec.as_fields() for spec in parse_codifier(sheets)]
        except TableFileError as error:
            errors = [str(error)]
        except CodifierError as error:
            errors = error.errors
        else:
            count = services.variant_tasks_replace(actor=request.user, variant=variant, tasks=tasks)
            messages.success(request, f"Кодификатор загружен: заданий — {count}.")
            return redirect("kimbank:variant_detail", pk=variant.pk)
    return render(request, "kimbank/variant_tasks.html", {
        "variant": variant, "formset": forms.TaskFormSet(prefix="tasks", initial=list(variant.tasks.values())),
        "import_form": form, "import_errors": errors[:50], "more_errors": max(0, len(errors) - 50),
    }, status=400)


@require_POST
@capability_required("kim.view")
def file_add_view(request, pk):
    variant = editable_variant(request, pk)
    form = forms.VariantFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Выберите назначение и файл.")
        return redirect("kimbank:variant_detail", pk=pk)
    upload = form.cleaned_data["file"]
    try:
        services.variant_file_add(actor=request.user, variant=variant, role=form.cleaned_data["role"],
                                  name=upload.name, data=upload.read(), for_schools=form.cleaned_data["for_schools"])
    except MaterialFileError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Файл «{upload.name}» добавлен.")
    return redirect("kimbank:variant_detail", pk=pk)


@require_POST
@capability_required("kim.view")
def file_delete_view(request, pk, file_pk):
    variant = visible_variant(request, pk)
    item = get_object_or_404(variant.files, pk=file_pk)
    try:
        services.variant_file_delete(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Файл «{item.original_name}» удалён.")
    return redirect("kimbank:variant_detail", pk=pk)


def file_response(item: VariantFile) -> FileResponse:
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=item.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


@capability_required("kim.view")
def file_download_view(request, pk, file_pk):
    """Bank staff read the files of the variants they see."""
    variant = visible_variant(request, pk)
    return file_response(get_object_or_404(variant.files, pk=file_pk))


@require_POST
@capability_required("kim.view")
def transition_view(request, pk, action):
    variant = visible_variant(request, pk)
    form = forms.TransitionForm(request.POST)
    form.is_valid()
    try:
        services.variant_transition(actor=request.user, variant=variant, action=action,
                                    comment=form.cleaned_data.get("comment", ""))
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Состояние: {variant.get_status_display().lower()}.")
    return redirect("kimbank:variant_detail", pk=pk)


@capability_required("kim.use")
def use_add_view(request, pk):
    variant = visible_variant(request, pk)
    form = forms.VariantUseForm(request.POST or None, variant=variant)
    if request.method == "POST" and form.is_valid():
        procedure = form.cleaned_data["procedure"]
        default_start, default_end = services.default_window(procedure)
        start = form.cleaned_data["window_start"] or default_start
        end = form.cleaned_data["window_end"] or default_end
        if start is None or end is None:
            form.add_error(None, "У процедуры нет дат: укажите окно выдачи вручную.")
        else:
            try:
                services.variant_use_create(actor=request.user, variant=variant, procedure=procedure,
                                            window_start=start, window_end=end)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, f"Вариант назначен процедуре {procedure.code}.")
                return redirect("kimbank:variant_detail", pk=pk)
    return render(request, "kimbank/use_form.html", {"variant": variant, "form": form})


@require_POST
@capability_required("kim.use")
def use_tasks_view(request, use_pk):
    use = get_object_or_404(VariantUse.objects.visible_to(request.user).select_related("procedure", "variant"), pk=use_pk)
    try:
        count = services.procedure_tasks_from_variant(actor=request.user, use=use)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Спецификация процедуры {use.procedure.code} создана: заданий — {count}.")
    return redirect("kimbank:variant_detail", pk=use.variant_id)


@capability_required("kim.school_download")
def school_materials_view(request):
    uses = list(selectors.school_uses_for(request.user))
    for use in uses:
        use.is_open = services.window_is_open(use)
        use.school_files = [f for f in use.variant.files.all() if f.for_schools] if use.is_open else []
    return render(request, "kimbank/school_materials.html", {"uses": uses})


@capability_required("kim.school_download")
def school_download_view(request, use_pk, file_pk):
    """Inside the window only, for schools of the procedure; outside it the file does not exist (404)."""
    use = get_object_or_404(VariantUse.objects.visible_to(request.user), pk=use_pk)
    item = get_object_or_404(VariantFile, pk=file_pk, variant_id=use.variant_id)
    services.school_download(user=request.user, use=use, item=item, address=client_address(request))
    return file_response(item)


class DownloadLogView(ScopedQuerysetMixin, TableExportMixin, ListView):
    capability = "kim.downloads"
    template_name = "kimbank/download_log.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.downloads_for(self.request.user)

    def export_table(self, downloads):
        return selectors.download_table(downloads)
