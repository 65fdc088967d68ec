"""Reads of the bank of test materials, always scoped to the user."""
from django.db.models import Count
from django.utils import timezone

from rsoko.exports import Column, Table

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


def variant_table(variants) -> Table:
    """The bank's list as the page shows it (filtered, scoped): one row per variant."""
    columns = [Column("number", "Вариант", width=10), Column("title", "Название", width=40), Column("kind", "Вид", width=10),
               Column("subject", "Предмет", width=24), Column("grade", "Класс", "int", 8), Column("year", "Год", "int", 8),
               Column("tasks", "Заданий", "int", 9), Column("status", "Экспертиза", width=16),
               Column("uses", "Использований", "int", 14)]
    rows = ({"number": v.number, "title": v.title, "kind": v.kind.code, "subject": v.subject.name, "grade": v.grade,
             "year": v.year, "tasks": v.task_count, "status": v.get_status_display(), "uses": v.use_count}
            for v in variants)
    return Table("Банк КИМ", columns, rows, filename="bank-kim")


def download_table(downloads) -> Table:
    columns = [Column("at", "Когда", "date", 20), Column("school", "Школа", width=40), Column("user", "Пользователь", width=28),
               Column("procedure", "Процедура", width=20), Column("file", "Файл", width=36), Column("address", "Адрес", width=18)]
    rows = ({"at": d.downloaded_at, "school": d.school.short_name, "user": d.user.get_full_name() or d.user.username,
             "procedure": d.use.procedure.code, "file": d.file.original_name, "address": d.address}
            for d in downloads.iterator(chunk_size=2000))
    return Table("Журнал выдачи КИМ", columns, rows, filename="vydacha-kim")
