from rest_framework import viewsets

from ..models import Job
from .serializers import JobSerializer


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Фоновые задания (загрузки, пересчёты, отчёты): состояние, этап и процент выполнения; итог — в `result`."""

    serializer_class = JobSerializer
    read_capability = "jobs.view"
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)
