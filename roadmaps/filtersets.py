"""Filters shared by pages and the API."""
import django_filters

from rsoko.filters import RowIdFilter

from .choices import ExecutionStatus, RoadmapLevel
from .models import Assignment, Item, Roadmap


class RoadmapFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RoadmapLevel.choices, label="Уровень")
    owner = django_filters.CharFilter(field_name="owner__code", label="Код владельца")

    class Meta:
        model = Roadmap
        fields = ["level", "owner", "approval", "is_template"]


class ItemFilterSet(django_filters.FilterSet):
    roadmap = RowIdFilter(field_name="roadmap_id", label="Дорожная карта")
    deadline_before = django_filters.DateFilter(field_name="deadline_end", lookup_expr="lte", label="Срок не позже")
    deadline_after = django_filters.DateFilter(field_name="deadline_end", lookup_expr="gte", label="Срок не раньше")

    class Meta:
        model = Item
        fields = ["roadmap", "deadline_kind", "is_section"]


class AssignmentFilterSet(django_filters.FilterSet):
    roadmap = RowIdFilter(field_name="item__roadmap_id", label="Дорожная карта")
    organization = django_filters.CharFilter(field_name="organization__code", label="Код исполнителя")
    status = django_filters.ChoiceFilter(choices=ExecutionStatus.choices, label="Статус")

    class Meta:
        model = Assignment
        fields = ["roadmap", "organization", "status"]
