from rest_framework import viewsets

from .. import selectors
from ..filtersets import MunicipalityFilterSet, OrganizationFilterSet
from .serializers import MunicipalitySerializer, OrganizationSerializer


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Муниципалитеты в области доступа учётной записи."""

    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet
    read_capability = "registry.view"
    search_fields = ["name", "code"]
    ordering_fields = ["name", "code"]

    def get_queryset(self):
        return selectors.municipalities_for(self.request.user).select_related("region").order_by("name")


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Субъекты РСОКО из реестра; школы вне области доступа учётной записи не возвращаются (по id — 404)."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    read_capability = "registry.view"
    search_fields = ["short_name", "full_name", "code"]
    ordering_fields = ["short_name", "code"]

    def get_queryset(self):
        return selectors.organizations_for(self.request.user).order_by("short_name")
