"""Filters of the objectivity list, shared by the page and the API."""
import django_filters

from assessments.analytics import objectivity
from rsoko.orgs.filtersets import visible_municipalities

from .models import ObjectivitySign

CRITERION_CHOICES = [(code, c.title) for code, c in objectivity.CRITERIA.items()] + [
    ("recheck_disagreement", "Расхождение с результатами перепроверки")]


class AnyYesNoWidget(django_filters.widgets.BooleanWidget):
    """true/false in the URL like BooleanWidget, but the empty choice reads «все» instead of «Неизвестно»."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", "Все"), ("true", "Да"), ("false", "Нет")]


class SignFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="Год")
    criterion = django_filters.ChoiceFilter(choices=CRITERION_CHOICES, label="Признак", empty_label="Все признаки")
    official = django_filters.BooleanFilter(method="filter_official", label="Только официальные",
                                            widget=AnyYesNoWidget())
    municipality = django_filters.ModelChoiceFilter(field_name="school__municipality", queryset=visible_municipalities,
                                                    label="Муниципалитет", empty_label="Все муниципалитеты")
    flagged = django_filters.BooleanFilter(label="Выявлен", widget=AnyYesNoWidget())
    q = django_filters.CharFilter(field_name="school__short_name", lookup_expr="icontains", label="ОО")

    class Meta:
        model = ObjectivitySign
        fields = ["year", "criterion", "official", "municipality", "flagged", "q"]

    def filter_official(self, queryset, name, value):
        codes = [c.code for c in objectivity.OFFICIAL]
        return queryset.filter(criterion__in=codes) if value else queryset.exclude(criterion__in=codes)
