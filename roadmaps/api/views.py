from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filtersets import AssignmentFilterSet, ItemFilterSet, RoadmapFilterSet
from .serializers import (AssignmentSerializer, ItemSerializer, RoadmapSerializer, StatusChangeSerializer,
                          StatusReportSerializer)


class RoadmapViewSet(viewsets.ReadOnlyModelViewSet):
    """Roadmap documents the caller may see: the region sees all; a municipality its own and the
    regional roadmaps with items assigned to it; a school its own."""

    serializer_class = RoadmapSerializer
    filterset_class = RoadmapFilterSet
    read_capability = "roadmaps.view"
    search_fields = ["title"]
    ordering_fields = ["period_first_year", "title"]

    def get_queryset(self):
        return selectors.roadmaps_for(self.request.user).order_by("id")


class ItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Items (numbered rows, sections included) the caller may see, with parsed deadlines and executors."""

    serializer_class = ItemSerializer
    filterset_class = ItemFilterSet
    read_capability = "roadmaps.view"
    search_fields = ["measure"]
    ordering_fields = ["position", "deadline_end"]

    def get_queryset(self):
        return selectors.items_for(self.request.user).prefetch_related("executors__organization") \
            .order_by("roadmap_id", "position")


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Execution statuses per item and executor; executors report on their own through `report`."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    read_capability = "roadmaps.view"
    write_capability = "roadmaps.report"
    ordering_fields = ["updated_at"]

    def get_queryset(self):
        return selectors.assignments_for(self.request.user).order_by("id")

    @extend_schema(request=StatusReportSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        assignment = self.get_object()
        if not services.can_report(request.user, assignment):
            raise PermissionDenied("Сообщать о ходе исполнения может только исполнитель пункта.")
        data = StatusReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.assignment_set_status(assignment=assignment, actor=request.user, source="API", **data.validated_data)
        assignment.refresh_from_db()
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(responses=StatusChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        assignment = self.get_object()
        return Response(StatusChangeSerializer(assignment.history.all(), many=True).data)
