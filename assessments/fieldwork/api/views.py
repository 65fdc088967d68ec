from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..filtersets import ExpertFilterSet
from .serializers import (ExpertAssignmentSerializer, CheckCampaignSerializer, ExpertSerializer, ObserverVisitSerializer,
                          CampaignSchoolResultSerializer, ExpertScoresSerializer)


class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    """Банк региональных экспертов. Телефон и эл. почта возвращаются только РЦОКО и министерству."""

    serializer_class = ExpertSerializer
    filterset_class = ExpertFilterSet
    read_capability = "fieldwork.bank_view"

    def get_queryset(self):
        return selectors.experts_for(self.request.user).order_by("full_name")


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Кампании перепроверки и перекрёстной проверки работ в области доступа учётной записи."""

    serializer_class = CheckCampaignSerializer
    read_capability = "fieldwork.view_results"

    def get_queryset(self):
        return selectors.campaigns_for(self.request.user).order_by("-created_at")

    @extend_schema(responses=CampaignSchoolResultSerializer(many=True),
                   description="Результаты по школам (только школы в области доступа) и признак перепроверки.")
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request, pk=None):
        rows = selectors.campaign_results(request.user, self.get_object())
        return Response(CampaignSchoolResultSerializer(rows, many=True).data)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Работы, назначенные эксперту (только коды участников). Баллы вносятся действием submit."""

    serializer_class = ExpertAssignmentSerializer
    read_capability = "fieldwork.expert_work"
    write_capability = "fieldwork.expert_work"

    def get_queryset(self):
        return selectors.assignments_for(self.request.user)

    @extend_schema(request=ExpertScoresSerializer, responses=ExpertAssignmentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assignment = self.get_object()
        payload = ExpertScoresSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            assignment = services.assignment_submit(assignment=assignment, scores=payload.validated_data["scores"],
                                                    actor=request.user)
        except services.FieldworkError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ExpertAssignmentSerializer(assignment).data)


class ObserverAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Направления наблюдателей на процедуры в школах и отмеченные ими нарушения."""

    serializer_class = ObserverVisitSerializer
    read_capability = "observers.list"

    def get_queryset(self):
        return selectors.observers_for(self.request.user).order_by("-date", "id")
