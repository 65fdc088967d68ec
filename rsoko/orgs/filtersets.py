"""Filters shared by the registry pages and the API."""
from django.db.models import Q
import django_filters

from .choices import ORG_KIND_SHORT, OrgKind, SettlementType
from .models import Municipality, Organization


def visible_municipalities(request):
    if request is None:
        return Municipality.objects.none()
    return Municipality.objects.visible_to(request.user)


class OrganizationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Поиск")
    kind = django_filters.ChoiceFilter(choices=list(ORG_KIND_SHORT.items()), label="Вид", empty_label="Все виды")
    municipality = django_filters.ModelChoiceFilter(
        queryset=visible_municipalities, label="Муниципалитет", empty_label="Все муниципалитеты"
    )
    settlement_type = django_filters.ChoiceFilter(
        choices=SettlementType.choices, label="Тип поселения", empty_label="Любой"
    )
    level = django_filters.ChoiceFilter(
        choices=[("noo", "НОО"), ("ooo", "ООО"), ("soo", "СОО")], method="filter_level", label="Уровень",
        empty_label="Любой",
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "municipality", "settlement_type", "level"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(short_name__icontains=value) | Q(full_name__icontains=value) | Q(code__icontains=value)
        )

    def filter_level(self, queryset, name, value):
        return queryset.filter(**{f"level_{value}": True})


class MunicipalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Поиск")

    class Meta:
        model = Municipality
        fields = ["q", "kind"]
