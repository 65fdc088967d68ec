from django.db.models import Q
import django_filters
from rest_framework import viewsets

from assessments.models import Procedure
from rsoko.exports import personal_export_record

from ..filtersets import SignFilterSet
from ..models import Deficit, FederalMark, ObjectivityIndex, ObjectivitySign, RiskPupil, SchoolListEntry, StatisticRow
from .serializers import (DeficitSerializer, FederalMarkSerializer, ObjectivityIndexSerializer, ObjectivitySignSerializer,
                          RiskPupilSerializer, SchoolListEntrySerializer, StatisticRowSerializer)


class StatisticRowFilterSet(django_filters.FilterSet):
    procedure = django_filters.CharFilter(field_name="procedure__code", label="Код процедуры")
    school_code = django_filters.CharFilter(field_name="school__code", label="Код ОО")

    class Meta:
        model = StatisticRow
        fields = ["procedure", "form", "level", "municipality", "school", "school_code", "class_name"]


class StatisticRowViewSet(viewsets.ReadOnlyModelViewSet):
    """Статистика процедур по формам ФИС ОКО (отметки, журнал, распределение баллов, задания, планируемые
    результаты, задания по группам) для региона, муниципалитета, ОО и класса — в области доступа."""

    serializer_class = StatisticRowSerializer
    filterset_class = StatisticRowFilterSet
    read_capability = "results.view"
    ordering_fields = ["participants"]

    def get_queryset(self):
        return StatisticRow.objects.visible_to(self.request.user).select_related("procedure", "school").order_by("id")


class ObjectivitySignViewSet(viewsets.ReadOnlyModelViewSet):
    """Признаки необъективности, требующие дополнительного анализа: критерий, значение, порог, объём выборки,
    пояснение. Школы ниже минимального объёма выборки — «не оценивались» (evaluated=false), никогда не отмечены."""

    serializer_class = ObjectivitySignSerializer
    filterset_class = SignFilterSet
    read_capability = "results.view"

    def get_queryset(self):
        return ObjectivitySign.objects.visible_to(self.request.user).select_related("procedure", "school").order_by("id")


class ObjectivityIndexViewSet(viewsets.ReadOnlyModelViewSet):
    """Индекс объективности региона = 100 − % оценённых школ хотя бы с одним официальным признаком; по процедуре
    и за год (procedure = null)."""

    serializer_class = ObjectivityIndexSerializer
    filterset_fields = ["year"]
    read_capability = "results.view"

    def get_queryset(self):
        # The year's index is the region's; a procedure's index only for a procedure the caller sees (not another
        # municipality's МПР).
        visible = Procedure.objects.visible_to(self.request.user)
        return (ObjectivityIndex.objects.filter(Q(procedure__isnull=True) | Q(procedure__in=visible))
                .select_related("procedure").order_by("-year", "id"))


class SchoolListEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """ШНОР (kind=low) и банк школ с высокими результатами (kind=high) по годам; data.selected — школа в списке,
    data.reason — основание или причина исключения."""

    serializer_class = SchoolListEntrySerializer
    filterset_fields = ["year", "kind"]
    read_capability = "results.view"

    def get_queryset(self):
        return SchoolListEntry.objects.visible_to(self.request.user).select_related("school").order_by("-year", "id")


class RiskPupilViewSet(viewsets.ReadOnlyModelViewSet):
    """Группа риска: участники ниже базового уровня (только коды) в области доступа. Каждое чтение — выгрузка
    персональных данных и записывается в журнал."""

    serializer_class = RiskPupilSerializer
    filterset_fields = ["school", "class_name"]
    read_capability = "results.view"

    def get_queryset(self):
        queryset = RiskPupil.objects.visible_to(self.request.user).select_related("procedure").order_by("id")
        code = self.request.query_params.get("procedure")
        return queryset.filter(procedure__code=code) if code else queryset

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:  # pupil codes left the portal: logged like a file export
            renderer = getattr(request, "accepted_renderer", None)
            personal_export_record(user=request.user, what="группа риска (API)", fmt=getattr(renderer, "format", "json"),
                                   object_id=self.kwargs.get("pk") or "risk-pupils", source="API",
                                   details={"query": request.GET.urlencode()[:500]})
        return response


class DeficitViewSet(viewsets.ReadOnlyModelViewSet):
    """Дефициты: задания и умения ниже порога по ОО и муниципалитетам."""

    serializer_class = DeficitSerializer
    filterset_fields = ["level", "municipality", "school"]
    read_capability = "results.view"

    def get_queryset(self):
        queryset = Deficit.objects.visible_to(self.request.user).select_related("procedure").order_by("id")
        code = self.request.query_params.get("procedure")
        return queryset.filter(procedure__code=code) if code else queryset


class FederalMarkViewSet(viewsets.ReadOnlyModelViewSet):
    """Федеральный перечень школ с признаками необъективности: код ОО и маркеры по годам."""

    serializer_class = FederalMarkSerializer
    filterset_fields = ["year", "school"]
    read_capability = "results.view"

    def get_queryset(self):
        return FederalMark.objects.visible_to(self.request.user).select_related("school").order_by("-year", "id")
