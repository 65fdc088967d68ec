from django.views.generic import ListView

from rsoko.orgs.views_mixins import CapabilityRequiredMixin

from .models import AuditEntry


class AuditEntryListView(CapabilityRequiredMixin, ListView):
    capability = "audit.view"
    template_name = "audit/entry_list.html"
    paginate_by = 50

    def get_queryset(self):
        entries = AuditEntry.objects.select_related("actor")
        model, query = self.request.GET.get("model", ""), self.request.GET.get("q", "").strip()
        if model:
            entries = entries.filter(model=model)
        if query:
            entries = entries.filter(object_repr__icontains=query) | entries.filter(actor_name__icontains=query)
        return entries

    def get_context_data(self, **kwargs):
        models = AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct()
        return super().get_context_data(
            **kwargs, models=models, model=self.request.GET.get("model", ""), q=self.request.GET.get("q", "")
        )
