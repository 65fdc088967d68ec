"""python manage.py add_procedure --kind ВПР --year 2021 --subject Математика --grade 4 [--scale 6,10,15 --max 20]

The official scale of the year (assessments/catalog/official_scales.py) is applied by default; --scale overrides it.
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.catalog import selectors
from assessments.catalog.services import procedure_create, scale_apply_official, scale_set
from assessments.models import ProcedureKind, Subject
from assessments.scales import ScaleData, boundaries_from_firsts


class Command(BaseCommand):
    help = "Создаёт экземпляр оценочной процедуры (вид + год + предмет + класс) и, если указана, его шкалу."

    def add_arguments(self, parser):
        parser.add_argument("--code", default="", help="код процедуры; по умолчанию VPR-2021-MA-4 и т. п.")
        parser.add_argument("--kind", required=True, help="вид: ВПР, ОГЭ… или латинский код VPR, OGE…")
        parser.add_argument("--year", required=True, type=int, help="год проведения (ВПР-2021 — 2021)")
        parser.add_argument("--subject", required=True, help="предмет: «Математика» или код MA")
        parser.add_argument("--grade", type=int, default=None, help="класс (4–11)")
        parser.add_argument("--scale", default="", help="первые баллы отметок «3», «4», «5», например 6,10,15; "
                                                        "без него применяется официальная шкала года, если она есть")
        parser.add_argument("--max", type=int, default=None, dest="max_score", help="максимальный первичный балл")
        parser.add_argument("--title", default="", help="название")

    def handle(self, *args, **options):
        kind, subject = self.kind(options["kind"]), self.subject(options["subject"])
        self.check_numbers(options)
        try:
            boundaries = boundaries_from_firsts(options["scale"]) if options["scale"] else None
            with transaction.atomic():
                procedure = procedure_create(
                    actor=None, kind=kind, year=options["year"], subject=subject, grade=options["grade"],
                    code=options["code"], title=options["title"], max_score=options["max_score"],
                    source="команда add_procedure",
                )
                if boundaries:
                    scale_set(actor=None, procedure=procedure, data=ScaleData(boundaries=boundaries),
                              source_text="задана командой add_procedure", source="команда add_procedure")
                    note = "Шкала задана параметром --scale."
                else:
                    _scale, note = scale_apply_official(actor=None, procedure=procedure, source="команда add_procedure")
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError("Процедура не создана:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Создана процедура {procedure.code}."))
        self.stdout.write(note)

    def kind(self, text: str) -> ProcedureKind:
        kind = selectors.kind_by_name(text)
        if kind is None:
            known = ", ".join(ProcedureKind.objects.values_list("code", flat=True))
            raise CommandError(f"Вид процедуры «{text}» не найден. Известные виды: {known}.")
        return kind

    def subject(self, text: str) -> Subject:
        subject = selectors.subject_by_name(text)
        if subject is None:
            raise CommandError(f"Предмет «{text}» не найден: укажите название («Математика») или код (MA).")
        return subject

    def check_numbers(self, options) -> None:
        if not 2000 <= options["year"] <= 2100:
            raise CommandError(f"Год {options['year']} вне допустимого диапазона 2000–2100.")
        if options["grade"] is not None and not 1 <= options["grade"] <= 11:
            raise CommandError(f"Класс {options['grade']}: допустимы классы с 1 по 11.")
        if options["scale"] and options["max_score"] is None:
            raise CommandError("Для шкалы укажите максимальный первичный балл: --max 20.")
        if options["max_score"] is not None and options["max_score"] < 1:
            raise CommandError("Максимальный балл должен быть не меньше 1.")
