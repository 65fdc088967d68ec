from django.urls import reverse
from rest_framework import serializers

from ..models import ReportArchive


class ReportArchiveSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    procedure = serializers.CharField(source="procedure.code", read_only=True, default=None, allow_null=True)
    campaign = serializers.IntegerField(source="campaign_id", read_only=True, default=None, allow_null=True)
    title = serializers.CharField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportArchive
        fields = ["id", "kind", "title", "organization", "period", "procedure", "campaign", "version", "size", "parameters",
                  "created_at", "download_url"]

    def get_download_url(self, report) -> str:
        return reverse("reports:archive_download", args=[report.pk])
