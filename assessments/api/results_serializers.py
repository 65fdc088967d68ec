from rest_framework import serializers

from ..choices import UploadMode
from ..models import Procedure, ResultBatch
from ..selectors_results import batch_messages_visible


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
    uploaded_by = serializers.StringRelatedField(allow_null=True)
    warnings = serializers.SerializerMethodField(help_text="видны загрузившему и региональным ролям")
    errors = serializers.SerializerMethodField(help_text="видны загрузившему и региональным ролям")

    def messages_visible(self, batch) -> bool:
        return batch_messages_visible(self.context["request"].user, batch)

    def get_warnings(self, batch) -> list[str]:
        return batch.warnings if self.messages_visible(batch) else []

    def get_errors(self, batch) -> list[str]:
        return batch.errors if self.messages_visible(batch) else []

    class Meta:
        model = ResultBatch
        fields = ["id", "procedure", "filename", "format", "mode", "fixes", "rows", "stored", "absent", "quarantined",
                  "error_count", "warnings", "errors", "uploaded_by", "job", "created_at"]
