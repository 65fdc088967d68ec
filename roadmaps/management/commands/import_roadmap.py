"""python manage.py import_roadmap FILE --level region --owner CODE [--json]"""
from pathlib import Path
import json

from django.core.management.base import BaseCommand, CommandError

from rsoko.orgs.models import Organization
from roadmaps.choices import RoadmapLevel
from roadmaps.services import RoadmapImportError, roadmap_import, roadmap_import_preview


class Command(BaseCommand):
    help = "Импорт дорожной карты из текста с табуляцией (.txt), Excel (.xlsx) или Word (.docx)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--level", choices=RoadmapLevel.values, default=RoadmapLevel.REGION)
        parser.add_argument("--owner", help="код организации-владельца (по умолчанию — министерство региона)")
        parser.add_argument("--title", default="", help="наименование, если не нужно брать его из документа")
        parser.add_argument("--dry-run", action="store_true", help="только разобрать, ничего не записывать")
        parser.add_argument("--json", action="store_true", help="вывести отчёт в JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл не найден: {path}")
        owner = None
        if options["owner"]:
            owner = Organization.objects.filter(code=options["owner"]).first()
            if owner is None:
                raise CommandError(f"В реестре нет организации с кодом «{options['owner']}».")
        try:
            preview = roadmap_import_preview(name=path.name, data=path.read_bytes(), level=options["level"], owner=owner)
        except RoadmapImportError as exc:
            raise CommandError(f"Дорожная карта не загружена, ничего не записано: {exc}") from None
        report = preview.report()
        if not options["dry_run"]:
            roadmap = roadmap_import(preview=preview, title=options["title"])
            report["roadmap_id"] = roadmap.pk
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"«{report['title'][:100]}»: пунктов {report['items']} (разделов {report['sections']}), "
                f"сроков распознано {report['deadlines_parsed']}, не распознано {report['deadlines_unparsed']}, "
                f"без срока {report['deadlines_missing']}; исполнителей сопоставлено {report['executors_matched']}, "
                f"лиц {report['executors_people']}, не распознано {report['executors_unmatched']}."
            ))
            for entry in report["unparsed_deadlines"]:
                self.stdout.write(f"  срок не распознан: {entry['number']} «{entry['text']}»")
            for entry in report["deadlines_to_check"]:
                self.stdout.write(f"  проверьте срок: {entry['number']} «{entry['text']}» — {entry['note']}")
            for text in report["unmatched_executors"]:
                self.stdout.write(f"  исполнитель не распознан: «{text}»")
