"""Report pages: the archive, ordering a report (a job), downloading a PDF, the institute's recommendations."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, View

from assessments.fieldwork.models import Campaign
from assessments.models import Procedure
from assessments.stats.selectors import procedures_with_statistics
from rsoko.exports import requested_export, table_response
from rsoko.orgs.access import scope_for
from rsoko.orgs.views_mixins import CapabilityRequiredMixin

from . import campaigns, selectors, services
from .sources import procedure_label
from .forms import QuarterlyRenderForm, RecommendationForm
from .models import ProcedureRecommendation, ReportKind


class ArchiveListView(CapabilityRequiredMixin, ListView):
    capability = "reports.view"
    template_name = "reports/archive_list.html"
    paginate_by = 50

    def get_queryset(self):
        reports = selectors.archive_for(self.request.user)
        kind = self.request.GET.get("kind")
        return reports.filter(kind=kind) if kind in ReportKind.values else reports

    def render_to_response(self, context, **kwargs):
        export = requested_export(self.request)
        if export:
            return table_response(selectors.archive_table(self.object_list), export, self.request.user)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        scope = scope_for(self.request.user)
        procedures = procedures_with_statistics(self.request.user)
        return super().get_context_data(**kwargs, kinds=ReportKind.choices, can_render=scope.can("reports.render"),
                                        region_wide=scope_for(self.request.user, "reports.render").region_wide,
                                        procedures=[(p, procedure_label(p)) for p in procedures],
                                        can_recommend=scope.can("reports.recommend"))


class QuarterlyRenderView(CapabilityRequiredMixin, FormView):
    """Order a quarterly report: rendered by a background job, then kept in the archive."""

    capability = "reports.render"
    template_name = "reports/render_form.html"

    def get_form(self, form_class=None):
        return QuarterlyRenderForm(self.request.POST or None,
                                   organizations=services.renderable_organizations(self.request.user))

    def form_valid(self, form):
        job = services.report_job_create(user=self.request.user, kind=ReportKind.QUARTERLY,
                                         organization=form.cleaned_data["organization"], quarter=form.cleaned_data["quarter"])
        return redirect("jobs:job_detail", pk=job.pk)


class ProcedureRenderView(CapabilityRequiredMixin, View):
    capability = "reports.render"

    def post(self, request, code):
        procedure = get_object_or_404(Procedure.objects.visible_to(request.user), code=code)
        if not services.can_render(request.user, procedure=procedure):
            raise PermissionDenied("Аналитический отчёт по процедуре формируют региональные роли.")
        job = services.report_job_create(user=request.user, kind=ReportKind.PROCEDURE, procedure=procedure)
        return redirect("jobs:job_detail", pk=job.pk)


class CampaignRenderView(CapabilityRequiredMixin, View):
    """Order a re-check campaign's summary (from the campaign page): whoever sees the campaign page, for the part
    of it they see — the region, their municipality or their school. Rendered by a job, kept in the archive."""

    capability = "fieldwork.view_results"

    def post(self, request, pk):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=pk)
        allowed = campaigns.organizations_for(request.user, campaign)
        chosen = request.POST.get("organization")
        organization = next((o for o in allowed if str(o.pk) == chosen), None) if chosen else (allowed or [None])[0]
        if organization is None:
            raise Http404("Сводку по этой организации сформировать нельзя.")
        job = services.report_job_create(user=request.user, kind=ReportKind.CAMPAIGN, organization=organization,
                                         campaign=campaign)
        return redirect("jobs:job_detail", pk=job.pk)


class ArchiveDownloadView(CapabilityRequiredMixin, View):
    capability = "reports.view"

    def get(self, request, pk):
        report = get_object_or_404(selectors.archive_for(request.user), pk=pk)
        return FileResponse(report.file.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=report.file.name.rsplit("/", 1)[-1])


class RecommendationEditView(CapabilityRequiredMixin, FormView):
    """The institute writes its conclusions and recommendations for a procedure (audited)."""

    capability = "reports.recommend"
    template_name = "reports/recommendation_form.html"

    @cached_property
    def procedure(self):
        return get_object_or_404(Procedure.objects.visible_to(self.request.user), code=self.kwargs["code"])

    def get_initial(self):
        current = ProcedureRecommendation.objects.filter(procedure=self.procedure).first()
        return {"text": current.text if current else ""}

    def get_form(self, form_class=None):
        return RecommendationForm(self.request.POST or None, initial=self.get_initial())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, procedure=self.procedure)

    def form_valid(self, form):
        services.recommendation_save(actor=self.request.user, procedure=self.procedure, text=form.cleaned_data["text"])
        messages.success(self.request, "Рекомендации сохранены: они войдут в следующую версию отчёта.")
        return redirect("reports:archive_list")
