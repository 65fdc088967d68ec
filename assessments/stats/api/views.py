import django_filters
from rest_framework import viewsets

from ..filtersets import SignFilterSet
from ..models import ObjectivityIndex, ObjectivitySign, StatisticRow
from .serializers import ObjectivityIndexSerializer, ObjectivitySignSerializer, StatisticRowSerializer


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
    queryset = ObjectivityIndex.objects.select_related("procedure").order_by("-year", "id")
