"""Filters shared by pages and the API."""
import django_filters

from rsoko.orgs.choices import OrgKind
from rsoko.orgs.models import Organization

from .choices import IndicatorLevel, Mechanism, Periodicity
from .models import Indicator, IndicatorValue


class IndicatorFilterSet(django_filters.FilterSet):
    mechanism = django_filters.ChoiceFilter(choices=Mechanism.choices, label="Механизм")
    periodicity = django_filters.ChoiceFilter(choices=Periodicity.choices, label="Периодичность")

    class Meta:
        model = Indicator
        fields = ["mechanism", "periodicity", "is_manual", "is_active"]


class IndicatorValueFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(method="filter_indicator",
                                          label="Код показателя (можно несколько через запятую)")
    organization = django_filters.CharFilter(
        method="filter_organization",
        label="Код организации: ОО (sch…) — её значения; МОУО — значения его муниципалитета")
    municipality = django_filters.CharFilter(field_name="municipality__code", label="Код муниципалитета")
    level = django_filters.ChoiceFilter(choices=IndicatorLevel.choices, label="Уровень")
    period = django_filters.CharFilter(method="filter_period",
                                       label="Период: 2026, 2026Q3 (можно несколько через запятую)")

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "organization", "municipality", "level", "period"]

    def filter_indicator(self, queryset, name, value):
        return queryset.filter(indicator__code__in=[v.strip() for v in value.split(",") if v.strip()])

    def filter_period(self, queryset, name, value):
        return queryset.filter(period__in=[v.strip().upper() for v in value.split(",") if v.strip()])

    def filter_organization(self, queryset, name, value):
        found = Organization.objects.filter(code=value.strip()).values_list("id", "kind", "municipality_id").first()
        if found is None:
            return queryset.none()
        org_id, kind, municipality_id = found
        if kind == OrgKind.SCHOOL:
            return queryset.filter(level=IndicatorLevel.SCHOOL, organization_id=org_id)
        if kind == OrgKind.MUNICIPAL_OFFICE:
            return queryset.filter(level=IndicatorLevel.MUNICIPALITY, municipality_id=municipality_id)
        return queryset.filter(level=IndicatorLevel.REGION)
