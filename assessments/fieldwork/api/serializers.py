from rest_framework import serializers

from ..models import Assignment, Campaign, Expert, ObserverAssignment
from ..selectors import CONTACT_FIELDS, can_see_contacts


class ExpertSerializer(serializers.ModelSerializer):
    """Phone and e-mail are present only for the assessment centre and the ministry."""

    subjects = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    organization_code = serializers.CharField(source="organization.code", read_only=True, default=None,
                                              allow_null=True)

    class Meta:
        model = Expert
        fields = ["id", "code", "full_name", "subjects", "qualification", "position", "organization",
                  "organization_code", "is_active", "phone", "email"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not can_see_contacts(self.context["request"].user):
            for name in CONTACT_FIELDS:
                data.pop(name, None)
        return data


class CheckCampaignSerializer(serializers.ModelSerializer):
    procedure_code = serializers.CharField(source="procedure.code", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "kind", "status", "procedure", "procedure_code", "share_percent", "min_works",
                  "seed", "check_date", "task_threshold", "total_threshold", "experts_threshold", "final_rule",
                  "sign_threshold", "pairing_mode"]


class CampaignSchoolResultSerializer(serializers.Serializer):
    school_id = serializers.IntegerField(source="member.school_id")
    school_code = serializers.CharField(source="member.school.code")
    checker_school_id = serializers.IntegerField(source="member.checker_school_id", allow_null=True)
    reason = serializers.CharField(source="member.reason")
    drawn = serializers.IntegerField()
    checked = serializers.IntegerField()
    changed_share = serializers.FloatField(allow_null=True, help_text="% работ с изменённой отметкой")
    mean_shift = serializers.FloatField(allow_null=True, help_text="средний «балл школы − итог экспертов»")
    direction = serializers.CharField()
    discrepant = serializers.IntegerField()
    sign = serializers.DictField(allow_null=True, help_text="строка признака recheck_disagreement")


class ExpertAssignmentSerializer(serializers.ModelSerializer):
    """An expert's own assignment: the work's participant code and nothing about the school's other works."""

    campaign = serializers.IntegerField(source="work.campaign_id", read_only=True)
    participant_code = serializers.CharField(source="work.participant_code", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "campaign", "participant_code", "order", "scores", "submitted_at"]
        read_only_fields = fields


class ExpertScoresSerializer(serializers.Serializer):
    scores = serializers.ListField(child=serializers.IntegerField(min_value=0), allow_empty=False)


class ObserverVisitSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code", read_only=True)
    violations = serializers.SerializerMethodField()
    has_report = serializers.SerializerMethodField()

    class Meta:
        model = ObserverAssignment
        fields = ["id", "procedure", "school", "school_code", "full_name", "kind", "stage", "date", "has_report",
                  "violations"]

    def get_has_report(self, obj) -> bool:
        return hasattr(obj, "report")

    def get_violations(self, obj) -> list[str]:
        return obj.report.violations if hasattr(obj, "report") else []
