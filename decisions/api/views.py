"""The register of decisions and their effect, read-only, scoped like the pages."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .. import selectors
from ..models import Case, Decision
from .serializers import CaseSerializer, DecisionSerializer


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Management decisions the caller may see: order, mechanism, indicators, schools and municipalities concerned."""

    serializer_class = DecisionSerializer
    read_capability = "decisions.view"
    filterset_fields = ["mechanism"]
    search_fields = ["title", "order_number"]
    ordering_fields = ["order_date"]

    def get_queryset(self):
        return Decision.objects.visible_to(self.request.user).select_related("owner").prefetch_related(
            "indicators", "schools", "municipalities", "measures").order_by("-order_date", "-id")

    @extend_schema(summary="Эффект решения: разность разностей по каждому показателю",
                   parameters=[OpenApiParameter("before", OpenApiTypes.STR, description="год «до», например 2025"),
                               OpenApiParameter("after", OpenApiTypes.STR, description="год «после»")],
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=True)
    def effect(self, request, pk=None):
        decision = self.get_object()
        try:
            before, after = selectors.chosen_periods(decision, request.query_params.get("before"),
                                                     request.query_params.get("after"))
        except selectors.PeriodError as error:
            raise ValidationError({"period": [str(error)]}) from None
        return Response({"decision": decision.pk, "before": before, "after": after,
                         "indicators": selectors.effect_payload(decision, before, after)})


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Consequences for flagged schools the caller may see, each with its history."""

    serializer_class = CaseSerializer
    read_capability = "cases.view"
    filterset_fields = ["year", "kind", "status"]
    ordering_fields = ["year"]

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related("school").prefetch_related("events") \
            .order_by("-year", "school__short_name", "kind")
