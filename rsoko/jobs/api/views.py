from rest_framework import viewsets

from ..models import Job
from .serializers import JobSerializer


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs the caller started (region-wide roles see all): poll for stage and percent."""

    serializer_class = JobSerializer
    read_capability = "jobs.view"
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user)
