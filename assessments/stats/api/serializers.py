from rest_framework import serializers

from ..models import Deficit, FederalMark, ObjectivityIndex, ObjectivitySign, RiskPupil, SchoolListEntry, StatisticRow
from ..selectors import LeftOutCounts


class StatisticRowListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        rows = list(data.all() if hasattr(data, "all") else data)
        self.child.context["left_out"] = LeftOutCounts(row.procedure_id for row in rows)  # one query per page
        return super().to_representation(rows)


class StatisticRowSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    left_out_rows = serializers.SerializerMethodField(
        help_text="Строки процедуры в карантине в области этой строки (регион, муниципалитет, ОО; для класса — его ОО): "
                  "в показатели не вошли, ждут исправления")
    school_code = serializers.CharField(source="school.code", default=None, allow_null=True)
    data = serializers.JSONField(help_text="Показатели формы: объект для marks/journal, список строк для остальных форм")

    class Meta:
        model = StatisticRow
        fields = ["id", "procedure", "form", "level", "municipality", "school", "school_code", "class_name",
                  "participants", "histogram_informative", "group_informative", "left_out_rows", "data"]
        list_serializer_class = StatisticRowListSerializer

    def get_left_out_rows(self, row) -> int:
        counts = self.context.get("left_out") or LeftOutCounts([row.procedure_id])
        return counts.of(row.procedure_id, row.level, row.municipality_id, row.school_id)


class ObjectivitySignSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code", default=None, allow_null=True)
    school_code = serializers.CharField(source="school.code")

    class Meta:
        model = ObjectivitySign
        fields = ["id", "year", "procedure", "school", "school_code", "criterion", "version", "value", "threshold",
                  "sample_size", "evaluated", "flagged", "p_value", "q_value", "explanation"]


class ObjectivityIndexSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code", default=None, allow_null=True)

    class Meta:
        model = ObjectivityIndex
        fields = ["id", "year", "procedure", "evaluated_schools", "schools_with_signs", "index"]


class SchoolListEntrySerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code")
    data = serializers.JSONField(help_text="mean_pct, procedures_in_tail, procedures_evaluated, years_qualified, "
                                           "has_signs, selected, reason, settlement_type, size")

    class Meta:
        model = SchoolListEntry
        fields = ["id", "year", "kind", "school", "school_code", "data"]


class RiskPupilSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")

    class Meta:
        model = RiskPupil
        fields = ["id", "procedure", "school", "class_name", "participant_code", "reason"]


class DeficitSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    data = serializers.JSONField(help_text="строки дефицитов: kind (task/skill), label или item, уровень, %, порог, status")

    class Meta:
        model = Deficit
        fields = ["id", "procedure", "level", "municipality", "school", "data"]


class FederalMarkSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code")

    class Meta:
        model = FederalMark
        fields = ["id", "year", "school", "school_code", "markers"]
