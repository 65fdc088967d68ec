from rest_framework import serializers


class CalendarEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_name = serializers.CharField()
    level = serializers.CharField()
    level_name = serializers.CharField()
    subject = serializers.CharField()
    grade = serializers.IntegerField(allow_null=True)
    year = serializers.IntegerField()
    date_start = serializers.DateField(allow_null=True)
    date_end = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    status_name = serializers.CharField()
    results_published = serializers.BooleanField()
