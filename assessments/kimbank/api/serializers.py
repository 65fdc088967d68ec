from rest_framework import serializers

from ..models import DownloadLog, Variant, VariantFile, VariantTask, VariantUse


class VariantTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = VariantTask
        fields = ["position", "label", "max_score", "level", "skill", "block", "kes_codes", "kt_codes"]


class VariantFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = VariantFile
        fields = ["id", "role", "file_type", "original_name", "size", "sha256", "for_schools", "uploaded_at"]


class VariantUseSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = VariantUse
        fields = ["id", "procedure", "window_start", "window_end"]


class VariantSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    subject = serializers.SlugRelatedField(slug_field="code", read_only=True)
    authors = serializers.SlugRelatedField(slug_field="username", read_only=True, many=True)
    tasks = VariantTaskSerializer(many=True, read_only=True)
    files = VariantFileSerializer(many=True, read_only=True)
    uses = VariantUseSerializer(many=True, read_only=True)

    class Meta:
        model = Variant
        fields = ["id", "kind", "subject", "grade", "year", "number", "title", "status", "review_comment",
                  "authors", "tasks", "files", "uses", "created_at", "updated_at"]


class DownloadLogSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="use.procedure.code", read_only=True)
    variant = serializers.IntegerField(source="use.variant_id", read_only=True)
    file = serializers.CharField(source="file.original_name", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    school = serializers.CharField(source="school.code", read_only=True)

    class Meta:
        model = DownloadLog
        fields = ["id", "downloaded_at", "procedure", "variant", "file", "user", "school", "address"]
