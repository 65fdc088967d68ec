"""python manage.py import_archive DIR|ZIP [--json] [--report FILE.xlsx] — loads a whole ФИС ОКО archive."""
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.archive import archive_import, report_table
from assessments.importing.archive import ArchiveError, archive_files
from rsoko.exports import xlsx_chunks


class Command(BaseCommand):
    help = ("Загружает архив ФИС ОКО (zip или папку): формы реестра, кодификаторы и файлы результатов всех лет; "
            "процедуры создаются по именам файлов; аналитика пересчитывается один раз в конце.")

    def add_arguments(self, parser):
        parser.add_argument("source", help="zip-архив или папка с файлами xlsx/xls/csv")
        parser.add_argument("--json", action="store_true", help="напечатать итог в JSON")
        parser.add_argument("--report", default="", help="сохранить отчёт по файлам в xlsx")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        source = Path(options["source"])
        if not source.exists():
            raise CommandError(f"Не найден архив или папка: {source}")
        try:
            files = archive_files(source, limit_bytes=settings.ARCHIVE_MAX_MB * 1024 * 1024)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        if not files:
            raise CommandError(f"В «{source}» нет файлов xlsx, xls или csv.")
        report = archive_import(actor=None, files=files, progress=self.progress)
        if options["report"]:
            Path(options["report"]).write_bytes(b"".join(xlsx_chunks(report_table(report.as_dict()))))
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        for outcome in report.files:
            head = f"{outcome.status_title:>34} | {outcome.role_title:<11} | {outcome.procedure or '—':<16} | {outcome.name}"
            self.stdout.write(head)
            if outcome.status == "refused":
                self.stdout.write("      " + outcome.message.replace("\n", "\n      "))
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def progress(self, stage: str, percent: float) -> None:
        if self.verbosity >= 2:
            self.stderr.write(f"{percent:5.1f}% {stage}")
