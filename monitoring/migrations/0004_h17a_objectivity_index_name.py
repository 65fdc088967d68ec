"""Issue 17: the index says which one it is («федеральная методика»); a name the ministry changed is kept."""
from django.db import migrations

OLD, NEW = "Индекс объективности результатов", "Индекс объективности (федеральная методика)"


def rename(apps, schema_editor):
    from monitoring.registry import BUILTINS, catalog_fields

    Indicator = apps.get_model("monitoring", "Indicator")
    source = catalog_fields(next(b for b in BUILTINS if b.code == "objectivity_index"))["source"]
    Indicator.objects.filter(code="objectivity_index", name=OLD).update(name=NEW)
    Indicator.objects.filter(code__in=["objectivity_index"]).update(source=source)


def back(apps, schema_editor):
    apps.get_model("monitoring", "Indicator").objects.filter(code="objectivity_index", name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_h17b_russia_values_map")]
    operations = [migrations.RunPython(rename, back)]
