from rest_framework import serializers

from ..choices import ExecutionStatus
from ..models import Assignment, Item, ItemExecutor, Roadmap, StatusChange


class RoadmapSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.CharField(source="period_display", read_only=True)

    class Meta:
        model = Roadmap
        fields = ["id", "level", "owner", "title", "order_number", "order_date", "period", "period_first_year",
                  "period_academic", "approval", "is_public", "is_template", "created_at"]


class ExecutorSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = ItemExecutor
        fields = ["text", "match", "organization", "group_kind"]


class ItemSerializer(serializers.ModelSerializer):
    executors = ExecutorSerializer(many=True, read_only=True)
    deadline = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = ["id", "roadmap", "position", "number", "number_key", "depth", "is_section", "parent", "implements",
                  "measure", "expected_result", "executors_text", "executors", "deadline"]

    def get_deadline(self, item) -> dict:
        return {"text": item.deadline_text, "kind": item.deadline_kind, "start": item.deadline_start,
                "end": item.deadline_end, "recurrence": item.deadline_recurrence,
                "note": item.deadline_note}


class AssignmentSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item_number = serializers.CharField(source="item.number", read_only=True)
    roadmap = serializers.IntegerField(source="item.roadmap_id", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "roadmap", "item", "item_number", "organization", "status", "comment", "link", "updated_at"]


class StatusReportSerializer(serializers.Serializer):
    """A status report through the API (evidence files go through the page form)."""

    status = serializers.ChoiceField(choices=ExecutionStatus.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    link = serializers.URLField(required=False, allow_blank=True, max_length=500, default="")


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatusChange
        fields = ["status_before", "status_after", "comment", "link", "actor_name", "source", "at"]
