from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ..models import Procedure
from ..selectors_results import batches_for
from ..services import results_upload_enqueue
from .results_serializers import ResultBatchSerializer, ResultUploadAcceptedSerializer, ResultUploadSerializer


class FormatIsAFilter(DefaultContentNegotiation):
    """`?format=protocol` filters uploads by file format here; DRF would read it as the renderer to use and
    answer 404 before even checking the caller (the documented filter never worked). JSON is the one answer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return super().select_renderer(request, renderers, format_suffix=format_suffix or "json")


class ResultUploadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Results uploads: POST a file (multipart) → a job id; follow it at /api/v1/jobs/<id>/."""

    read_capability = "results.view"
    write_capability = "results.upload"
    parser_classes = [MultiPartParser, FormParser]
    content_negotiation_class = FormatIsAFilter
    filterset_fields = ["procedure", "format", "mode"]

    def get_queryset(self):
        return batches_for(self.request.user)

    def get_serializer_class(self):
        return ResultUploadSerializer if self.action == "create" else ResultBatchSerializer

    @extend_schema(request={"multipart/form-data": ResultUploadSerializer},
                   responses={202: ResultUploadAcceptedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ResultUploadSerializer(data=request.data, context={"request": request})
        serializer.fields["procedure"].queryset = Procedure.objects.visible_to(request.user)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = results_upload_enqueue(user=request.user, procedure=data["procedure"], upload=data["file"],
                                     mode=data["mode"], fixes=data["fixes"], source="API")
        body = {"job": job.id, "status_url": reverse("job-detail", args=[job.id])}
        return Response(body, status=status.HTTP_202_ACCEPTED)
