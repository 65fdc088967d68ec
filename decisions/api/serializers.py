from rest_framework import serializers

from ..models import Case, Decision


class DecisionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    schools = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    municipalities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "owner", "order_number", "order_date", "title", "text", "mechanism", "indicators", "schools",
                  "municipalities", "measures", "created_at"]


class CaseSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True)
    history = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "school", "year", "reason", "kind", "status", "result", "due", "decision", "created_at",
                  "updated_at", "history"]

    def get_history(self, case) -> list[dict]:
        return [{"status": e.status, "result": e.result, "comment": e.comment, "actor": e.actor_name, "at": e.at}
                for e in case.events.all()]
