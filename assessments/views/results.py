"""Pages for results: upload, the user's uploads, a batch's outcome, versions of a school, quarantine."""
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, FormView, ListView, TemplateView

from rsoko.exports import TableExportMixin, page_export, personal_export_record, table_response
from rsoko.orgs.models import Organization
from rsoko.orgs.views_mixins import CapabilityRequiredMixin, ScopedQuerysetMixin, capability_required

from .. import selectors_results as selectors
from ..archive import archive_upload_enqueue
from ..forms_results import ArchiveUploadForm, ResultUploadForm
from ..importing.error_summary import group_row_errors
from ..models import Procedure, ResultBatch
from ..services import results_upload_enqueue


class ResultUploadView(CapabilityRequiredMixin, FormView):
    capability = "results.upload"
    form_class = ResultUploadForm
    template_name = "assessments/results/upload.html"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        return {"procedure": self.request.GET.get("procedure")}

    def form_valid(self, form):
        data = form.cleaned_data
        job = results_upload_enqueue(user=self.request.user, procedure=data["procedure"], upload=data["file"],
                                     mode=data["mode"], fixes=data["fixes"], source="веб",
                                     use_header_spec=data.get("use_header_spec", False))
        return redirect("jobs:job_detail", pk=job.pk)


class ArchiveUploadView(CapabilityRequiredMixin, FormView):
    """A whole ФИС ОКО archive as one job: progress per file, then the per-file report on the job page."""

    capability = "procedures.manage"
    form_class = ArchiveUploadForm
    template_name = "assessments/results/archive_upload.html"

    def form_valid(self, form):
        job = archive_upload_enqueue(user=self.request.user, upload=form.cleaned_data["archive"])
        return redirect("jobs:job_detail", pk=job.pk)


class BatchListView(ScopedQuerysetMixin, TableExportMixin, ListView):
    capability = "results.view"
    model = ResultBatch
    template_name = "assessments/results/batch_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.batches_for(self.request.user)

    def export_table(self, rows):
        return selectors.batch_table(rows)


class BatchDetailView(ScopedQuerysetMixin, DetailView):
    capability = "results.view"
    model = ResultBatch
    template_name = "assessments/results/batch_detail.html"

    def get_queryset(self):
        return selectors.batches_for(self.request.user)

    def render_to_response(self, context, **kwargs):
        batch, user = self.object, self.request.user
        return page_export(self.request, {
            "schools": lambda: selectors.batch_version_table(batch, selectors.batch_versions(user, batch)),
            "quarantine": lambda: selectors.quarantine_table(selectors.open_quarantine(user).filter(batch=batch),
                                                             f"Карантин {batch.procedure.code}"),
        }) or super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        quarantine = selectors.open_quarantine(user).filter(batch=self.object)
        return super().get_context_data(
            **kwargs, versions=selectors.batch_versions(user, self.object),
            quarantine=quarantine[:200], quarantine_count=quarantine.count(), stats=batch_stats(self.object),
            show_messages=selectors.batch_messages_visible(user, self.object),
            error_groups=group_row_errors(self.object.errors),
        )


def batch_stats(batch: ResultBatch) -> dict:
    return {"rows": batch.rows, "stored": batch.stored, "absent": batch.absent, "quarantined": batch.quarantined,
            "warnings": len(batch.warnings), "errors": batch.error_count}


@capability_required("results.upload")
def quarantine_download_view(request, pk):
    """The batch's open quarantined rows as xlsx (pupil-level data: the export is audited): rows of the user's
    schools that were within the reach of the batch's uploader (QuarantinedRow.visible_to)."""
    rows = selectors.open_quarantine(request.user).filter(batch_id=pk)
    first = rows.first()
    if first is None:
        raise Http404("В карантине этой загрузки нет открытых строк, доступных вам.")
    batch = first.batch
    personal_export_record(user=request.user, what=f"карантин загрузки {batch}", fmt="xlsx",
                           model=batch._meta.label_lower, object_id=batch.pk, details={"rows": rows.count()},
                           source="выгрузка карантина")
    table = selectors.quarantine_download_table(rows, f"quarantine-{batch.procedure.code}-{batch.pk}")
    return table_response(table, "xlsx", request.user)  # logged above, with the batch it belongs to


class QuarantineListView(CapabilityRequiredMixin, TableExportMixin, ListView):
    capability = "results.upload"
    template_name = "assessments/results/quarantine_list.html"
    paginate_by = 100

    def get_queryset(self):
        return selectors.open_quarantine(self.request.user)

    def export_table(self, rows):
        return selectors.quarantine_table(rows)


class VersionHistoryView(CapabilityRequiredMixin, TemplateView):
    capability = "results.view"
    template_name = "assessments/results/version_history.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        procedure = get_object_or_404(Procedure.objects.visible_to(user), code=kwargs.pop("procedure"))
        school = get_object_or_404(Organization.objects.visible_to(user), code=kwargs.pop("school"))
        versions = list(selectors.version_history(user, procedure, school))
        if not versions:
            raise Http404("Нет загруженных результатов этой школы по процедуре.")
        return super().get_context_data(**kwargs, procedure=procedure, school=school, versions=versions)

    def render_to_response(self, context, **kwargs):
        return page_export(self.request, {
            "versions": lambda: selectors.version_history_table(context["procedure"], context["school"],
                                                                context["versions"]),
        }) or super().render_to_response(context, **kwargs)
