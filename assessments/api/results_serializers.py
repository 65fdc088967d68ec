from rest_framework import serializers

from ..choices import UploadMode
from ..models import Procedure, ResultBatch


class ResultUploadSerializer(serializers.Serializer):
    procedure = serializers.SlugRelatedField(slug_field="code", queryset=Procedure.objects.all(),
                                             help_text="код процедуры, например VPR-2021-MA-4")
    file = serializers.FileField(help_text="xlsx, xls или csv")
    mode = serializers.ChoiceField(choices=UploadMode.choices, required=False, allow_blank=True, default="",
                                   help_text="по умолчанию: quarantine для региональной выгрузки, иначе strict")
    fixes = serializers.BooleanField(required=False, default=False,
                                     help_text="файл содержит исправленные строки: дополнить результаты, а не заменить")


class ResultUploadAcceptedSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    status_url = serializers.CharField()


class ResultBatchSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = ResultBatch
        fields = ["id", "procedure", "filename", "format", "mode", "fixes", "rows", "stored", "absent", "quarantined",
                  "error_count", "warnings", "errors", "uploaded_by", "job", "created_at"]
