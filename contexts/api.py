"""The context of schools through the API: read-only, scoped like the pages."""
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from .models import SchoolContext


class SchoolContextSerializer(serializers.ModelSerializer):
    school = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SchoolContext
        fields = ["school", "pupils", "russian_second_share", "low_income_share", "listed", "difficult",
                  "difficult_reasons", "peer_group", "updated_at"]


class SchoolContextViewSet(viewsets.ReadOnlyModelViewSet):
    """Context of schools: figures, difficult social conditions (with reasons) and the comparable group."""

    serializer_class = SchoolContextSerializer
    read_capability = "context.view"
    filterset_fields = ["difficult", "peer_group"]
    lookup_field = "school__code"
    lookup_url_kwarg = "code"
    lookup_value_regex = r"[A-Za-z0-9_\-]+"

    def get_queryset(self):
        return SchoolContext.objects.visible_to(self.request.user).select_related("school").order_by("school__code")


router = SimpleRouter()
router.register("school-contexts", SchoolContextViewSet, basename="school-context")
