from rest_framework import serializers

from ..models import Municipality, Organization


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "kind", "region"]


class OrganizationSerializer(serializers.ModelSerializer):
    municipality_code = serializers.CharField(source="municipality.code", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id", "code", "kind", "short_name", "full_name", "municipality", "municipality_code",
            "settlement_type", "level_noo", "level_ooo", "level_soo", "address", "website", "is_active",
        ]
