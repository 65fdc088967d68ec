"""The open API: the same public data as the pages, anonymous, rate-limited per address.

Pages and JSON read the same selectors, so they never disagree. The embeddable endpoint allows
cross-origin GET (official sites fetch it from their own pages); the router endpoints do not.
"""
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .. import selectors
from ..forms import CalendarFilterForm
from ..suppression import ensure_public
from .serializers import CalendarEntrySerializer, CalendarSerializer, FinishedProceduresSerializer


class PublicRateThrottle(AnonRateThrottle):
    """Per-address limit for the open endpoints; the rate is settings' DEFAULT_THROTTLE_RATES["public"]."""

    scope = "public"


class PublicAPIMixin:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]


def cached(key: str, compute):
    """Answers are computed once per few minutes and per query; throttling still applies to each call."""
    return cache.get_or_set(f"public-api:{key}", compute, settings.PUBLIC_CACHE_SECONDS)


def calendar_filters(query) -> dict:
    """Only the valid filters: they, not the raw query string, key the cache (junk parameters share one answer)."""
    form = CalendarFilterForm(query or None, years=selectors.calendar_years())
    return form.filters(selectors.current_year())


def filters_key(filters: dict) -> str:
    return ":".join(f"{name}={filters[name] or ''}" for name in sorted(filters))


def calendar_payload(filters: dict) -> dict:
    entries = [selectors.calendar_entry(p) for p in selectors.calendar_procedures(**filters)]
    return ensure_public({"filters": filters, "count": len(entries),
                          "items": CalendarEntrySerializer(entries, many=True).data})


def results_payload(procedure) -> dict:
    return ensure_public({
        "procedure": CalendarEntrySerializer(selectors.calendar_entry(procedure)).data,
        "region": selectors.region_results(procedure),
        "municipalities": selectors.municipality_results(procedure),
    })


CALENDAR_PARAMETERS = [
    OpenApiParameter("year", int, description="год (по умолчанию текущий)"),
    OpenApiParameter("month", int, description="месяц 1–12"),
    OpenApiParameter("kind", str, description="латинский код вида процедуры: VPR, RPR, MPR…"),
    OpenApiParameter("level", str, description="federal, regional или municipal"),
]


class PublicCalendarViewSet(PublicAPIMixin, viewsets.ViewSet):
    """Открытый календарь оценочных процедур (без входа, с ограничением частоты запросов)."""

    @extend_schema(parameters=CALENDAR_PARAMETERS, responses=CalendarSerializer)
    def list(self, request, format=None):
        filters = calendar_filters(request.GET)
        return Response(cached(f"calendar:{filters_key(filters)}", lambda: calendar_payload(filters)))


class PublicResultsViewSet(PublicAPIMixin, viewsets.ViewSet):
    """Обобщённые результаты завершённых процедур по региону и муниципалитетам (группы менее 10 скрыты)."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    @extend_schema(responses=FinishedProceduresSerializer)
    def list(self, request, format=None):
        def compute():
            entries = [selectors.calendar_entry(p) for p in selectors.finished_procedures()]
            return ensure_public({"count": len(entries), "items": CalendarEntrySerializer(entries, many=True).data})
        return Response(cached("results", compute))

    @extend_schema(responses=dict)
    def retrieve(self, request, code=None, format=None):
        procedure = selectors.finished_procedures().filter(code=code).first()
        if procedure is None:
            raise Http404
        return Response(cached(f"results:{code}", lambda: results_payload(procedure)))


class PublicObjectivityViewSet(PublicAPIMixin, viewsets.ViewSet):
    """Индекс объективности оценки образовательных результатов по региону (без списков школ)."""

    @extend_schema(parameters=[OpenApiParameter("year", int, description="год (по умолчанию последний рассчитанный)")],
                   responses=dict)
    def list(self, request, format=None):
        years = selectors.objectivity_years()
        requested = request.GET.get("year", "")
        year = int(requested) if requested.isdigit() and int(requested) in years else (
            years[-1] if years else selectors.current_year())
        return Response(cached(f"objectivity:{year}", lambda: ensure_public(
            {"year": year, "years": years, "index": selectors.objectivity_index(year=year)})))


class EmbedView(PublicAPIMixin, APIView):
    """Встраиваемый JSON для официальных сайтов: календарь и опубликованные результаты (CORS: GET отовсюду)."""

    @extend_schema(parameters=CALENDAR_PARAMETERS, responses=dict)
    def get(self, request):
        filters = calendar_filters(request.GET)

        def compute():
            calendar = calendar_payload(filters)
            results = [results_payload(p) for p in selectors.finished_procedures()
                       if selectors.region_results(p) is not None]
            return ensure_public({"region": settings.REGION_NAME, "calendar": calendar, "results": results,
                                  "objectivity": selectors.objectivity_index(year=calendar["filters"]["year"])})
        response = Response(cached(f"embed:{filters_key(filters)}", compute))
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET"
        return response
