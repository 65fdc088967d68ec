"""python manage.py render_report quarterly --org CODE --quarter 2026Q3 --out FILE.pdf
python manage.py render_report procedure --procedure CODE --out FILE.pdf
python manage.py render_report campaign --campaign ID [--org CODE] --out FILE.pdf"""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.fieldwork.models import Campaign
from assessments.models import Procedure
from reports import rendering, sources
from reports.periods import Quarter
from rsoko.orgs.models import Organization


class Command(BaseCommand):
    help = ("Формирует PDF-отчёт (квартальный, аналитический по процедуре или сводку перепроверки работ) "
            "и записывает его в файл.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["quarterly", "procedure", "campaign"])
        parser.add_argument("--org", help="код организации (министерство — регион, МОУО — муниципалитет, ОО); "
                                          "для сводки перепроверки по умолчанию — регион")
        parser.add_argument("--quarter", help="квартал, например 2026Q3")
        parser.add_argument("--procedure", help="код процедуры, например VPR-2026-MA-4")
        parser.add_argument("--campaign", type=int, help="номер кампании перепроверки (из адреса её страницы)")
        parser.add_argument("--out", required=True, help="куда записать PDF")

    def handle(self, *args, kind, org, quarter, procedure, campaign, out, **options):
        if kind == "quarterly":
            rendered = self.quarterly(org, quarter)
        elif kind == "procedure":
            rendered = self.procedure(procedure)
        else:
            rendered = self.campaign(campaign, org)
        Path(out).write_bytes(rendered.pdf)
        self.stdout.write(f"{rendered.title}: {out} ({len(rendered.pdf) // 1024} КБ)")

    def quarterly(self, code, quarter):
        if not code or not quarter:
            raise CommandError("Для квартального отчёта нужны --org и --quarter.")
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(f"Организация с кодом «{code}» не найдена.")
        try:
            return rendering.render_quarterly(organization, Quarter.parse(quarter))
        except (ValidationError, ValueError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc

    def procedure(self, code):
        procedure = Procedure.objects.filter(code=code or "").first()
        if procedure is None:
            raise CommandError(f"Процедура с кодом «{code}» не найдена.")
        return rendering.render_procedure(procedure)

    def campaign(self, pk, code):
        campaign = Campaign.objects.filter(pk=pk).select_related("procedure").first() if pk else None
        if campaign is None:
            raise CommandError(f"Кампания перепроверки № {pk} не найдена." if pk else "Укажите --campaign.")
        organization = Organization.objects.filter(code=code).first() if code else sources.region_organization()
        if organization is None:
            raise CommandError(f"Организация с кодом «{code}» не найдена." if code else "В реестре нет министерства.")
        try:
            return rendering.render_campaign(campaign, organization)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
