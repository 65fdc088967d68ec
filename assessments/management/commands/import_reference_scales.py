"""python manage.py import_reference_scales FILE [--json] — official scales from the ministry's table."""
from dataclasses import asdict
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.catalog.reference_import import reference_scales_import
from rsoko.tables import TableFileError, read_table_file


class Command(BaseCommand):
    help = ("Загружает официальные шкалы перевода баллов в отметки (по рекомендациям ФИОКО) из xlsx/csv: столбцы "
            "«Вид», «Год», «Предмет», «Класс», «Максимальный балл», ««3» с», ««4» с», ««5» с», «Источник». "
            "Строки с ошибками перечисляются и не загружаются.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="вывести отчёт в JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        try:
            sheets = read_table_file(path.name, path.read_bytes(), limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024)
        except TableFileError as exc:
            raise CommandError(str(exc)) from None
        report = reference_scales_import(actor=None, sheets=sheets, source="команда import_reference_scales")
        if report.file_errors:
            raise CommandError("\n".join(report.file_errors))
        if options["json"]:
            self.stdout.write(json.dumps(asdict(report), ensure_ascii=False))
            return
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for line in report.rows_skipped[:200]:
            self.stdout.write(line)
