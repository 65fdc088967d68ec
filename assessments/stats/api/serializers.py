from rest_framework import serializers

from ..models import ObjectivityIndex, ObjectivitySign, StatisticRow


class StatisticRowSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    school_code = serializers.CharField(source="school.code", default=None)
    data = serializers.JSONField(help_text="Показатели формы: объект для marks/journal, список строк для остальных форм")

    class Meta:
        model = StatisticRow
        fields = ["id", "procedure", "form", "level", "municipality", "school", "school_code", "class_name",
                  "participants", "histogram_informative", "group_informative", "data"]


class ObjectivitySignSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code", default=None)
    school_code = serializers.CharField(source="school.code")

    class Meta:
        model = ObjectivitySign
        fields = ["id", "year", "procedure", "school", "school_code", "criterion", "version", "value", "threshold",
                  "sample_size", "evaluated", "flagged", "p_value", "q_value", "explanation"]


class ObjectivityIndexSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code", default=None)

    class Meta:
        model = ObjectivityIndex
        fields = ["id", "year", "procedure", "evaluated_schools", "schools_with_signs", "index"]
