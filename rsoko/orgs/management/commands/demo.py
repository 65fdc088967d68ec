"""python manage.py demo — builds the demo region; every app with a demo module adds its part."""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Создаёт демонстрационный регион (повторный запуск ничего не дублирует)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            self.stdout.write(self.style.MIGRATE_HEADING(f"{config.verbose_name}:"))
            import_module(module_name).build(self.stdout)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные готовы."))
