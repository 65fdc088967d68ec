"""Reads for the report pages: the archive (scoped) and its table for the page and the xlsx export."""
from rsoko.exports import Column, Table

from .models import ReportArchive


def archive_for(user):
    return ReportArchive.objects.visible_to(user).select_related("organization", "procedure", "campaign", "created_by")


def archive_table(reports) -> Table:
    columns = [Column("title", "Отчёт", width=60), Column("version", "Версия", "int", 8),
               Column("created_at", "Сформирован", "date", 18), Column("created_by", "Сформировал", width=20),
               Column("size_kb", "Размер, КБ", "int", 10)]

    def rows():
        for report in reports:
            yield {"title": report.title, "version": report.version,
                   "created_at": report.created_at.replace(tzinfo=None), "size_kb": report.size // 1024,
                   "created_by": report.created_by.username if report.created_by else "по расписанию"}

    return Table("Архив отчётов", columns, rows, filename="arhiv-otchetov")
