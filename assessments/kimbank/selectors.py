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
    columns = [Column("number", "Вариант", width=10), Column("title", "Название", width=40),
               Column("kind", "Вид", width=10),
               Column("subject", "Предмет", width=24), Column("grade", "Класс", "int", 8),
               Column("year", "Год", "int", 8),
               Column("tasks", "Заданий", "int", 9), Column("status", "Экспертиза", width=16),
               Column("uses", "Использований", "int", 14)]
    rows = ({"number": v.number, "title": v.title, "kind": v.kind.code, "subject": v.subject.name, "grade": v.grade,
             "year": v.year, "tasks": v.task_count, "status": v.get_status_display(), "uses": v.use_count}
            for v in variants)
    return Table("Банк КИМ", columns, rows, filename="bank-kim")


def download_table(downloads) -> Table:
    columns = [Column("at", "Когда", "date", 20), Column("school", "Школа", width=40),
               Column("user", "Пользователь", width=28),
               Column("procedure", "Процедура", width=20), Column("file", "Файл", width=36),
               Column("address", "Адрес", width=18)]
    rows = ({"at": d.downloaded_at, "school": d.school.short_name, "user": d.user.get_full_name() or d.user.username,
             "procedure": d.use.procedure.code, "file": d.file.original_name, "address": d.address}
            for d in downloads.iterator(chunk_size=2000))
    return Table("Журнал выдачи КИМ", columns, rows, filename="vydacha-kim")


def variant_task_table(variant) -> Table:
    """The variant's codifier as its card shows it (answers included: the card shows them to the same users)."""
    columns = [Column("position", "№", "int", 6), Column("label", "№ в КИМ", width=10),
               Column("max_score", "Макс.", "int", 8),
               Column("level", "Уровень", width=10), Column("skill", "Умение", width=60),
               Column("kes", "КЭС", width=20),
               Column("kt", "КТ", width=20), Column("answer", "Ответ", width=30)]
    rows = ({"position": t.position, "label": t.label, "max_score": t.max_score, "level": t.level, "skill": t.skill,
             "kes": t.kes_codes, "kt": t.kt_codes, "answer": t.answer} for t in variant.tasks.all())
    return Table(f"Кодификатор варианта {variant.number}", columns, rows, filename=f"kodifikator-{variant.pk}")


def variant_use_table(variant) -> Table:
    columns = [Column("procedure", "Процедура", width=50), Column("start", "Выдача открывается", "date", 18),
               Column("end", "Выдача закрывается", "date", 18)]
    rows = ({"procedure": str(u.procedure), "start": u.window_start, "end": u.window_end}
            for u in variant.uses.select_related("procedure"))
    return Table(f"Использование варианта {variant.number}", columns, rows, filename=f"ispolzovanie-{variant.pk}")
