"""python manage.py import_results FILE --procedure CODE [--mode strict|quarantine] [--json] [--as USERNAME]"""
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.choices import UploadMode
from assessments.models import Procedure
from assessments.services import ImportRejected, results_import


class Command(BaseCommand):
    help = "Загружает файл результатов (протокол ФИС ОКО, региональная выгрузка или шаблон портала) в процедуру."

    def add_arguments(self, parser):
        parser.add_argument("file", help="xlsx, xls или csv")
        parser.add_argument("--procedure", required=True, help="код процедуры, например VPR-2021-MA-4")
        parser.add_argument("--mode", choices=list(UploadMode.values), default=None,
                            help="strict — при ошибке ничего не сохраняется; quarantine — ошибочные строки в карантин "
                                 "(по умолчанию: quarantine для региональной выгрузки, иначе strict)")
        parser.add_argument("--fixes", action="store_true",
                            help="файл содержит исправленные строки: дополнить действующие результаты школ, а не заменить")
        parser.add_argument("--header-spec", action="store_true",
                            help="если максимальные баллы в заголовке файла не совпадают с кодификатором процедуры "
                                 "(комплект другого года), заменить спецификацию процедуры заданиями из заголовка")
        parser.add_argument("--as", dest="username", default=None,
                            help="загрузить от имени пользователя (с его правами и зоной ответственности)")
        parser.add_argument("--json", action="store_true", help="напечатать итог в JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        procedure = Procedure.objects.filter(code=options["procedure"]).first()
        if procedure is None:
            raise CommandError(f"Процедура с кодом «{options['procedure']}» не найдена.")
        actor = None
        if options["username"]:
            actor = get_user_model().objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"Пользователь «{options['username']}» не найден или отключён.")
        try:
            report = results_import(actor=actor, procedure=procedure, filename=path.name, data=path.read_bytes(),
                                    mode=options["mode"], fixes=True if options["fixes"] else None,
                                    source="командная строка", use_header_spec=options["header_spec"])
        except ImportRejected as exc:
            if options["json"]:
                self.stdout.write(json.dumps(exc.summary(), ensure_ascii=False, indent=2))
            raise CommandError(exc.report_text()) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report.summary())
            for message in report.warning_messages + report.error_messages[:50]:
                self.stdout.write(f"  {message}")
