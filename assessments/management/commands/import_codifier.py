"""python manage.py import_codifier FILE --procedure CODE [--json] — loads a ФИС ОКО codifier."""
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.catalog.services import codifier_import
from assessments.models import Procedure


class Command(BaseCommand):
    help = "Загружает спецификацию заданий процедуры из кодификатора ФИС ОКО (xlsx, xls, csv), заменяя прежнюю."

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл кодификатора")
        parser.add_argument("--procedure", required=True, help="код процедуры, например VPR-2021-MA-4")
        parser.add_argument("--json", action="store_true", help="вывести итог в формате JSON")
        parser.add_argument("--any-year", action="store_true",
                            help="принять кодификатор, в имени или заголовке которого указан другой год")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        procedure = Procedure.objects.filter(code=options["procedure"]).first()
        if procedure is None:
            raise CommandError(f"Процедура с кодом «{options['procedure']}» не найдена.")
        try:
            tasks = codifier_import(
                actor=None, procedure=procedure, filename=path.name, data=path.read_bytes(),
                limit_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024, source="команда import_codifier",
                any_year=options["any_year"],
            )
        except ValidationError as exc:
            if options["json"]:
                self.stdout.write(json.dumps({"ok": False, "errors": exc.messages}, ensure_ascii=False, indent=2))
            raise CommandError("Кодификатор не загружен:\n" + "\n".join(exc.messages)) from None
        self.report(procedure, tasks, as_json=options["json"])

    def report(self, procedure, tasks, *, as_json: bool) -> None:
        if as_json:
            payload = {
                "ok": True, "procedure": procedure.code, "max_score": sum(t.max_score for t in tasks),
                "tasks": [
                    {"position": t.position, "label": t.label, "max_score": t.max_score, "level": t.level,
                     "kes_codes": t.kes_codes, "kt_codes": t.kt_codes}
                    for t in tasks
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.style.SUCCESS(
            f"{procedure.code}: загружено заданий — {len(tasks)}, максимальный балл — {sum(t.max_score for t in tasks)}."
        ))
