"""The re-check disagreement criterion: its thresholds are set per re-check campaign; here it can be switched off."""
from django.db import migrations


def add(apps, schema_editor):
    Criterion = apps.get_model("stats", "ObjectivityCriterion")
    Criterion.objects.update_or_create(code="recheck_disagreement", defaults={
        "title": "Расхождение с результатами перепроверки (пороги задаются в кампании перепроверки)",
        "is_official": False, "params": {}})


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_criteria")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
