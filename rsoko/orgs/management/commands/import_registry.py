"""python manage.py import_registry FILE — creates or updates municipalities and organizations."""
from pathlib import Path
import json

from django.core.management.base import BaseCommand, CommandError

from rsoko.orgs.services import RegistryImportError, registry_import_file


class Command(BaseCommand):
    help = ("Импорт реестра субъектов РСОКО из xlsx/csv: шаблон реестра, протокол ФИС ОКО, форма ФИС ОКО «Сбор "
            "контекстных данных об ОО» или список логинов. Строки с ошибками перечисляются и не загружаются.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="вывести отчёт в JSON")
        parser.add_argument("--other-region", action="store_true",
                            help="загрузить файл, хотя код региона в нём не совпадает с регионом портала")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        try:
            report = registry_import_file(actor=None, name=path.name, data=path.read_bytes(), source="команда import_registry",
                                          other_region=options["other_region"])
        except RegistryImportError as exc:
            raise CommandError("Реестр не загружен, ничего не записано:\n" + "\n".join(exc.errors[:100])) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(self.style.SUCCESS(report.summary()))
            for line in report.rows_skipped[:100] + report.warnings[:100]:
                self.stdout.write(line)
