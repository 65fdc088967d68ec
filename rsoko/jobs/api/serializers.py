from rest_framework import serializers

from ..models import Job


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = ["id", "kind", "title", "status", "stage", "percent", "result", "error", "created_at", "started_at", "finished_at"]
