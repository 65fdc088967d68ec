from rest_framework import viewsets

from .. import selectors
from .serializers import ReportArchiveSerializer


class ReportArchiveViewSet(viewsets.ReadOnlyModelViewSet):
    """Архив отчётов (квартальные, аналитические по процедурам, сводки перепроверки работ): версия, параметры,
    дата, ссылка на PDF — в области доступа пользователя."""

    serializer_class = ReportArchiveSerializer
    read_capability = "reports.view"
    filterset_fields = ["kind", "period", "version"]

    def get_queryset(self):
        return selectors.archive_for(self.request.user).order_by("-created_at", "-id")
