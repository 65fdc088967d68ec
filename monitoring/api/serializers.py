"""Stable field names for external clients: codes rather than ids, numbers as numbers, ISO dates."""
from rest_framework import serializers

from ..models import Indicator, IndicatorValue, MonitoringForm


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "source", "direction", "levels", "periodicity", "mechanism", "target",
                  "is_builtin", "is_manual", "is_active", "formula"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    municipality_code = serializers.CharField(source="municipality.code", allow_null=True, default=None)
    municipality_name = serializers.CharField(source="municipality.name", allow_null=True, default=None)
    organization_code = serializers.CharField(source="organization.code", allow_null=True, default=None)
    organization_name = serializers.CharField(source="organization.short_name", allow_null=True, default=None)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "indicator_name", "unit", "period", "level", "municipality_code", "municipality_name",
                  "organization_code", "organization_name", "value", "numerator", "denominator", "frozen",
                  "computed_at"]


class MonitoringFormSerializer(serializers.ModelSerializer):
    """A monitoring form; `municipality_code` is set on a МОУО's own form (filled by its municipality's schools)."""

    audience_label = serializers.CharField(read_only=True)
    municipality_code = serializers.CharField(source="municipality.code", allow_null=True, default=None,
                                              read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = MonitoringForm
        fields = ["id", "title", "period", "deadline", "audience", "audience_label", "municipality_code",
                  "indicators", "created_at"]


class FormAnswerSerializer(serializers.Serializer):
    """One filler's values (by indicator code) as the answers table lists them."""

    municipality = serializers.CharField()
    organization = serializers.CharField()
    code = serializers.CharField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))
