from rest_framework import serializers

from ..models import Decision


class DecisionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    schools = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "owner", "order_number", "order_date", "title", "text", "mechanism", "indicators", "schools",
                  "municipalities", "measures", "created_at"]
