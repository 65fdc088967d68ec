"""The REST API for indicators: the catalog and the values, read-only, scoped and throttled."""
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer

from rsoko.exports import Column, Table, table_response
from rsoko.orgs.access import scope_for

from ..filtersets import IndicatorFilterSet, IndicatorValueFilterSet
from ..models import Indicator, IndicatorValue, MonitoringForm
from .caching import CachedTokenAuthentication, IndicatorThrottle, cached_body
from .serializers import FormAnswerSerializer, IndicatorSerializer, IndicatorValueSerializer, MonitoringFormSerializer

VALUE_EXAMPLE = {
    "indicator": "vpr_quality", "indicator_name": "Качество (ВПР), % «4»–«5»", "unit": "%", "period": "2026",
    "level": "municipality", "municipality_code": "reg22_m010", "municipality_name": "Ельцовский муниципальный район",
    "organization_code": None, "organization_name": None, "value": 47.25, "numerator": 378.0, "denominator": 800.0,
    "frozen": False, "computed_at": "2026-11-22T03:30:12.418000+03:00",
}
INDICATOR_EXAMPLE = {
    "code": "objectivity_index", "name": "Индекс объективности (федеральная методика)", "unit": "балл",
    "source": "признаки за год: 100 − % оценённых ОО хотя бы с одним официальным признаком в ВПР по русскому языку и математике в 4–5 классах",
    "direction": "higher", "levels": ["region", "municipality"], "periodicity": "year", "mechanism": "1.1",
    "target": 90.0, "is_builtin": True, "is_manual": False, "is_active": True,
}


class FastReadMixin:
    """Token lookups, throttling and answers cached (see monitoring.api.caching)."""

    authentication_classes = [CachedTokenAuthentication, SessionAuthentication]
    throttle_classes = [IndicatorThrottle]
    throttle_scope = "indicators"

    def list(self, request, *args, **kwargs):
        return self.cached(request, lambda: super(FastReadMixin, self).list(request, *args, **kwargs))

    def retrieve(self, request, *args, **kwargs):
        return self.cached(request, lambda: super(FastReadMixin, self).retrieve(request, *args, **kwargs))

    def cached(self, request, compute):
        renderer = request.accepted_renderer
        if type(renderer) is not JSONRenderer:  # the browsable API is for people: not cached
            return compute()

        def render():
            return renderer.render(compute().data, request.accepted_media_type, self.get_renderer_context())

        body = cached_body(request, request.accepted_media_type, render)
        return HttpResponse(body, content_type=renderer.media_type)


@extend_schema_view(
    list=extend_schema(summary="Каталог показателей мониторинга",
                       examples=[OpenApiExample("Показатель", value=[INDICATOR_EXAMPLE], response_only=True)]),
    retrieve=extend_schema(summary="Показатель по коду",
                           examples=[OpenApiExample("Показатель", value=INDICATOR_EXAMPLE, response_only=True)]),
)
class IndicatorViewSet(FastReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Indicators of the catalog: code, name, unit, source, direction, levels, periodicity, mechanism (590/219).

    The ministry adds its own with POST: the same checks as the page «Новый показатель».
    """

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    read_capability = "indicators.view"
    write_capability = "indicators.manage"
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_\-]+"
    search_fields = ["name", "code"]
    ordering_fields = ["code", "mechanism"]

    def get_queryset(self):
        return Indicator.objects.visible_to(self.request.user).order_by("mechanism", "order", "code")

    @extend_schema(summary="Добавить показатель региона (формула по каталогу или форма мониторинга)",
                   request=IndicatorSerializer, responses={201: IndicatorSerializer})
    def create(self, request, *args, **kwargs):
        from ..forms import IndicatorCreateForm
        from ..services import indicator_create

        form = IndicatorCreateForm(data=request.data)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        indicator = indicator_create(actor=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields})
        return Response(IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)


EXPORT_COLUMNS = [Column(key, key, kind) for key, kind in (
    ("indicator", "text"), ("indicator_name", "text"), ("unit", "text"), ("period", "text"), ("level", "text"),
    ("municipality_code", "text"), ("municipality_name", "text"), ("organization_code", "text"),
    ("organization_name", "text"), ("value", "raw"), ("numerator", "raw"), ("denominator", "raw"),
    ("frozen", "text"), ("computed_at", "text"))]
EXPORT_LIMIT = 100_000


@extend_schema_view(
    list=extend_schema(summary="Значения показателей", description=(
        "Значения показателей по региону, муниципалитетам и ОО в пределах области видимости ключа: ключ МОУО "
        "видит значения своего муниципалитета и его ОО (и значения региона как ориентир), ключ министерства — "
        "все. Период: «2026» (год) или «2026Q3» (квартал). Числа не форматируются; даты в ISO 8601."),
        examples=[OpenApiExample("Значение муниципалитета", value=VALUE_EXAMPLE, response_only=True)]),
)
class IndicatorValueViewSet(FastReadMixin, viewsets.ReadOnlyModelViewSet):
    """Values of indicators per group and period."""

    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    read_capability = "indicators.view"
    ordering_fields = ["period", "value"]

    def get_queryset(self):
        return IndicatorValue.objects.visible_to(self.request.user).select_related(
            "indicator", "municipality", "organization").order_by("indicator__order", "period", "level", "key")

    @extend_schema(
        summary="Выгрузка значений в CSV или xlsx",
        description="Те же фильтры, что у списка; `file=csv` (по умолчанию) или `file=xlsx`. Колонки — поля JSON.",
        parameters=[OpenApiParameter("file", OpenApiTypes.STR, enum=["csv", "xlsx"], required=False)],
        responses={(200, "text/csv"): OpenApiTypes.BINARY,
                   (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        fmt = request.query_params.get("file", "csv")
        if fmt not in {"csv", "xlsx"}:
            raise ValidationError({"file": ["Формат выгрузки: csv или xlsx."]})
        queryset = self.filter_queryset(self.get_queryset())[:EXPORT_LIMIT]

        def rows():
            for data in IndicatorValueSerializer(queryset, many=True).data:
                yield {**data, "frozen": "true" if data["frozen"] else "false"}

        table = Table(title="Значения показателей", columns=EXPORT_COLUMNS, rows=rows, filename="indicator-values")
        return table_response(table, fmt, request.user)


class MonitoringFormViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Monitoring forms the caller sees: the ministry's addressed to it, its municipality's own ones (a МОУО creates
    them with POST for its schools), all of them for the ministry. `answers`: the filled values, for those who read
    them (the ministry; a МОУО for its own forms)."""

    serializer_class = MonitoringFormSerializer
    read_capability = "monitoring.forms"
    write_capability = ("indicators.manage", "monitoring.forms_municipal")

    def get_queryset(self):
        return (MonitoringForm.objects.visible_to(self.request.user).select_related("municipality")
                .prefetch_related("indicators").order_by("-deadline", "-id"))

    @extend_schema(summary="Создать форму мониторинга (МОУО — для школ своего муниципалитета)",
                   request=MonitoringFormSerializer, responses={201: MonitoringFormSerializer})
    def create(self, request, *args, **kwargs):
        from .. import selectors
        from ..forms import MonitoringFormForm
        from ..services import form_create

        office = None if scope_for(request.user).can("indicators.manage") else selectors.own_office(request.user)
        if office is None and not scope_for(request.user).can("indicators.manage"):
            raise PermissionDenied("Форму создаёт министерство или МОУО.")
        form = MonitoringFormForm(data=request.data, municipality=office.municipality if office else None)
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        created = form_create(actor=request.user, municipality=form.municipality, **form.cleaned_data)
        return Response(MonitoringFormSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Ответы на форму (министерство; МОУО — по своим формам)",
                   responses=FormAnswerSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def answers(self, request, pk=None):
        from .. import selectors

        form = self.get_object()
        if not selectors.reads_answers(request.user, form):
            raise PermissionDenied("Ответы формы видят министерство и МОУО, создавший её.")
        table = selectors.form_answers_table(form)
        codes = {f"i{i.pk}": i.code for i in form.indicators.all()}
        rows = [{"municipality": row["municipality"], "organization": row["organization"], "code": row["code"],
                 "values": {codes[key]: value for key, value in row.items() if key in codes}}
                for row in table.iter_rows()]
        return Response(FormAnswerSerializer(rows, many=True).data)
