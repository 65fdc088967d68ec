"""The catalog API: kinds, subjects, procedures (with tasks, scale and participants), reference scales."""
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from rsoko.orgs.access import scope_for

from ...choices import ProcedureLevel
from ...models import ProcedureKind, ReferenceScale, Scale, Subject
from ...scales import ScaleData
from .. import selectors, services
from ..filtersets import ProcedureFilterSet, ReferenceScaleFilterSet
from . import serializers

READ, MANAGE, MANAGE_MUNICIPAL = "procedures.view", "procedures.manage", "procedures.manage_municipal"


def service_call(function, **kwargs):
    """Runs a service; its Russian ValidationError becomes a 400 answer."""
    try:
        return function(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None


class ProcedureKindViewSet(viewsets.ReadOnlyModelViewSet):
    """Виды оценочных процедур: ВПР, ОГЭ, ЕГЭ… с уровнем и системой оценивания."""

    queryset = ProcedureKind.objects.all()
    serializer_class = serializers.ProcedureKindSerializer
    read_capability = READ
    pagination_class = None


class SubjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Subject.objects.all()
    serializer_class = serializers.SubjectSerializer
    read_capability = READ
    pagination_class = None


class ProcedureViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Procedure instances by code (VPR-2021-MA-4). Writing needs procedures.manage; changes are audited."""

    serializer_class = serializers.ProcedureSerializer
    filterset_class = ProcedureFilterSet
    read_capability, write_capability = READ, (MANAGE, MANAGE_MUNICIPAL)
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    search_fields = ["code", "title", "subject__name"]
    ordering_fields = ["year", "date_start", "code"]

    def get_queryset(self):
        return selectors.procedures_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not scope_for(self.request.user).can(MANAGE):
            data["organizer"] = self.municipal_organizer(data["kind"])
        serializer.instance = service_call(services.procedure_create, actor=self.request.user, source="API", **data)

    def municipal_organizer(self, kind):
        """A МОУО creates municipal procedures only, and always as their organizer."""
        if kind.level != ProcedureLevel.MUNICIPAL:
            raise PermissionDenied("МОУО создаёт только муниципальные процедуры (вид с уровнем «Муниципальный»).")
        return selectors.municipal_organizer_for(self.request.user)

    def managed_object(self):
        procedure = self.get_object()
        if not selectors.can_manage(self.request.user, procedure):
            raise PermissionDenied("Эту процедуру ведёт её организатор: изменять её вы не можете.")
        return procedure

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        self.managed_object()
        if not scope_for(self.request.user).can(MANAGE):
            data["organizer"] = self.municipal_organizer(data.get("kind", serializer.instance.kind))
        procedure, status = serializer.instance, data.pop("status", None)
        data["code"] = data.get("code") or procedure.code
        service_call(services.procedure_update, actor=self.request.user, procedure=procedure, source="API", **data)
        if status and status != procedure.status:
            service_call(services.procedure_status_set, actor=self.request.user, procedure=procedure, status=status,
                         source="API")

    @extend_schema(responses=serializers.TaskSerializer(many=True), summary="Спецификация заданий процедуры")
    @action(detail=True, methods=["get"], pagination_class=None)
    def tasks(self, request, code=None):
        procedure = self.get_object()
        return Response(serializers.TaskSerializer(procedure.tasks.order_by("position"), many=True).data)

    @extend_schema(methods=["get"], responses=serializers.ScaleSerializer, summary="Шкала перевода процедуры")
    @extend_schema(methods=["put"], request=serializers.ScaleSerializer, responses=serializers.ScaleSerializer,
                   summary="Задать шкалу перевода (procedures.manage)")
    @action(detail=True, methods=["get", "put"])
    def scale(self, request, code=None):
        procedure = self.get_object()
        if request.method == "GET":
            # No scale yet reads as an empty one, so clients need no special case.
            scale = getattr(procedure, "scale", None) or Scale(procedure=procedure)
            return Response(serializers.ScaleSerializer(scale).data)
        self.managed_object()
        payload = serializers.ScaleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        source_text = data.pop("source", "")
        scale = service_call(services.scale_set, actor=request.user, procedure=procedure, data=ScaleData(**data),
                             source_text=source_text, source="API")
        return Response(serializers.ScaleSerializer(scale).data)

    @extend_schema(responses=serializers.ParticipantSerializer(many=True),
                   summary="Школы-участники в области доступа вызывающего")
    @action(detail=True, methods=["get"])
    def participants(self, request, code=None):
        procedure = self.get_object()
        page = self.paginate_queryset(selectors.participations_for(request.user, procedure))
        return self.get_paginated_response(serializers.ParticipantSerializer(page, many=True).data)


class ReferenceScaleViewSet(viewsets.ReadOnlyModelViewSet):
    """Official scales by year (reference data), offered when an instance is created."""

    queryset = ReferenceScale.objects.select_related("kind", "subject").order_by("kind__order", "subject__name", "grade", "-year")
    serializer_class = serializers.ReferenceScaleSerializer
    filterset_class = ReferenceScaleFilterSet
    read_capability = READ
