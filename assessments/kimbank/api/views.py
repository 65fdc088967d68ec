from rest_framework import viewsets

from .. import selectors
from ..filtersets import VariantFilterSet
from .serializers import DownloadLogSerializer, VariantSerializer


class VariantViewSet(viewsets.ReadOnlyModelViewSet):
    """Варианты банка КИМ в области доступа: министерство и ИРО — все, РЦОКО — одобренные, автор — свои."""

    serializer_class = VariantSerializer
    filterset_class = VariantFilterSet
    read_capability = "kim.view"
    ordering_fields = ["year", "number", "updated_at"]

    def get_queryset(self):
        return selectors.variants_for(self.request.user).prefetch_related("tasks", "files", "uses__procedure", "authors")


class DownloadLogViewSet(viewsets.ReadOnlyModelViewSet):
    """Журнал выдачи файлов КИМ школам: кто, когда, какой файл, с какого адреса."""

    serializer_class = DownloadLogSerializer
    read_capability = "kim.downloads"
    filterset_fields = ["school", "use__procedure"]

    def get_queryset(self):
        return selectors.downloads_for(self.request.user)
