from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


class CalendarEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_name = serializers.CharField()
    level = serializers.CharField()
    level_name = serializers.CharField()
    subject = serializers.CharField()
    grade = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    date_start = serializers.DateField(allow_null=True)
    date_end = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    status_name = serializers.CharField()
    results_published = serializers.BooleanField()


class CalendarFiltersSerializer(serializers.Serializer):
    """Фильтры, по которым составлен ответ: неверное значение в запросе заменяется на «все»."""

    year = serializers.IntegerField()
    month = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField(allow_blank=True)
    level = serializers.CharField(allow_blank=True)


# The list actions answer one object (an envelope), not an array: many=False tells drf-spectacular so.
@extend_schema_serializer(many=False)
class CalendarSerializer(serializers.Serializer):
    """Календарь: применённые фильтры, число процедур и сами процедуры."""

    filters = CalendarFiltersSerializer()
    count = serializers.IntegerField()
    items = CalendarEntrySerializer(many=True)


@extend_schema_serializer(many=False)
class FinishedProceduresSerializer(serializers.Serializer):
    """Процедуры с опубликованными обобщёнными результатами."""

    count = serializers.IntegerField()
    items = CalendarEntrySerializer(many=True)
