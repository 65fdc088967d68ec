from rest_framework import serializers

from rsoko.orgs.models import Organization

from ...models import Procedure, ProcedureKind, ProcedureSchool, ReferenceScale, Scale, Subject, Task


class ProcedureKindSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureKind
        fields = ["id", "code", "slug", "name", "level", "grading", "is_builtin"]


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = ["id", "code", "name"]


class ProcedureSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", queryset=ProcedureKind.objects.all(),
                                        help_text="обозначение вида: ВПР, ОГЭ…")
    subject = serializers.SlugRelatedField(slug_field="code", queryset=Subject.objects.all(), help_text="код предмета: MA, RU…")
    organizer = serializers.SlugRelatedField(slug_field="code", queryset=Organization.objects.all(), required=False,
                                             allow_null=True)
    code = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                 help_text="пусто — сформируется как VPR-2021-MA-4")
    academic_year = serializers.CharField(read_only=True)
    level = serializers.CharField(source="kind.level", read_only=True,
                                  help_text="federal, regional или municipal (МПР: только муниципалитет организатора)")
    municipality = serializers.SerializerMethodField(help_text="муниципалитет муниципальной процедуры, иначе null")
    school_count = serializers.IntegerField(read_only=True)
    variants = serializers.ListField(child=serializers.CharField(max_length=16), required=False)

    class Meta:
        model = Procedure
        fields = ["id", "code", "kind", "year", "academic_year", "subject", "grade", "title", "date_start", "date_end",
                  "organizer", "level", "municipality", "status", "max_score", "variants", "school_count", "updated_at"]
        read_only_fields = ["id", "updated_at"]

    def get_municipality(self, procedure) -> str | None:
        owner = procedure.owner_municipality_id
        return procedure.organizer.municipality.name if owner is not None else None


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["position", "label", "max_score", "level", "skill", "block", "kes_codes", "kt_codes"]


class ScaleSerializer(serializers.ModelSerializer):
    boundaries = serializers.DictField(child=serializers.IntegerField(), required=False,
                                       help_text='первый балл отметок: {"3": 6, "4": 10, "5": 15}')
    conditions = serializers.ListField(child=serializers.DictField(), required=False,
                                       help_text='[{"marks": ["3","4","5"], "tasks": ["15","16"], "min_points": 2}]')
    test_scores = serializers.ListField(child=serializers.IntegerField(), required=False)

    class Meta:
        model = Scale
        fields = ["boundaries", "conditions", "test_scores", "minimum_test_score", "pass_score", "source"]


class ParticipantSerializer(serializers.ModelSerializer):
    school_code = serializers.CharField(source="school.code")
    school_name = serializers.CharField(source="school.short_name")
    municipality = serializers.CharField(source="school.municipality.name", default=None, allow_null=True)

    class Meta:
        model = ProcedureSchool
        fields = ["school_code", "school_name", "municipality", "control"]


class ReferenceScaleSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    subject = serializers.CharField(source="subject.code")

    class Meta:
        model = ReferenceScale
        fields = ["id", "kind", "subject", "grade", "year", "max_score", "boundaries", "conditions", "source"]
