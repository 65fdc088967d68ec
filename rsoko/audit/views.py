from django.views.generic import ListView

from rsoko.exports import Column, Table, TableExportMixin
from rsoko.orgs.views_mixins import CapabilityRequiredMixin

from .models import AuditEntry


class AuditEntryListView(CapabilityRequiredMixin, TableExportMixin, ListView):
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

    def export_table(self, entries) -> Table:
        columns = [Column("at", "Когда", "date", 20), Column("actor", "Кто", width=20), Column("action", "Действие", width=12),
                   Column("model", "Объект", width=24), Column("object", "Представление", width=40),
                   Column("changes", "Изменения", width=80), Column("source", "Источник", width=18)]
        rows = ({"at": e.at, "actor": e.actor_name, "action": e.get_action_display(), "model": e.model,
                 "object": e.object_repr, "source": e.source,
                 "changes": "; ".join(f"{name}: {old} → {new}" if old is not None else f"{name}: {new}"
                                      for name, old, new in e.readable_changes())}
                for e in entries.iterator(chunk_size=2000))
        return Table("Журнал изменений", columns, rows, filename="zhurnal-izmeneniy")
