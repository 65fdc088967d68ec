"""Filters of the procedure catalog, shared by the pages and the API."""
from django.db.models import Q
import django_filters

from rsoko.orgs.filtersets import visible_municipalities

from ..choices import ProcedureLevel, ProcedureStatus
from ..models import Procedure, ProcedureKind, ReferenceScale, Subject


class ProcedureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Поиск")
    kind = django_filters.ModelChoiceFilter(queryset=ProcedureKind.objects.all(), label="Вид", empty_label="Все виды")
    level = django_filters.ChoiceFilter(
        field_name="kind__level", choices=ProcedureLevel.choices, label="Уровень", empty_label="Любой"
    )
    year = django_filters.NumberFilter(label="Год")
    subject = django_filters.ModelChoiceFilter(
        queryset=Subject.objects.all(), label="Предмет", empty_label="Все предметы"
    )
    grade = django_filters.NumberFilter(label="Класс")
    status = django_filters.ChoiceFilter(choices=ProcedureStatus.choices, label="Состояние", empty_label="Любое")

    class Meta:
        model = Procedure
        fields = ["q", "kind", "level", "year", "subject", "grade", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(subject__name__icontains=value)
            | Q(kind__code__icontains=value) | Q(kind__name__icontains=value)
        )


class ScheduleFilterSet(django_filters.FilterSet):
    """The план-график: one academic year, narrowed by kind, level and a municipality's relevance."""

    year = django_filters.NumberFilter(label="Учебный год (год окончания)", method="keep")
    kind = django_filters.ModelChoiceFilter(
        queryset=ProcedureKind.objects.all(), label="Вид", empty_label="Все виды", method="keep"
    )
    level = django_filters.ChoiceFilter(choices=ProcedureLevel.choices, label="Уровень", empty_label="Любой", method="keep")
    municipality = django_filters.ModelChoiceFilter(
        queryset=visible_municipalities, label="Касается муниципалитета", empty_label="Все", method="keep"
    )

    class Meta:
        model = Procedure
        fields = ["year", "kind", "level", "municipality"]

    def keep(self, queryset, name, value):
        # The schedule selector applies these itself (it groups by month); the filterset validates them.
        return queryset


class ReferenceScaleFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__code", label="Вид (ВПР, ОГЭ…)")
    subject = django_filters.CharFilter(field_name="subject__code", label="Код предмета")

    class Meta:
        model = ReferenceScale
        fields = ["kind", "subject", "grade", "year"]
