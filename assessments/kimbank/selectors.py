"""Reads of the bank of test materials, always scoped to the user."""
from django.db.models import Count
from django.utils import timezone

from .models import DownloadLog, Variant, VariantUse


def variants_for(user):
    return (Variant.objects.visible_to(user).select_related("kind", "subject")
            .annotate(task_count=Count("tasks", distinct=True), use_count=Count("uses", distinct=True))
            .order_by("-year", "kind__order", "subject__name", "grade", "number"))


def school_uses_for(user):
    """Uses in the procedures of the user's schools whose window has not closed yet, soonest first."""
    return (VariantUse.objects.visible_to(user).filter(window_end__gt=timezone.now())
            .select_related("variant__kind", "variant__subject", "procedure").order_by("window_start"))


def downloads_for(user):
    return DownloadLog.objects.visible_to(user).select_related("use__procedure", "use__variant", "file", "user", "school")
