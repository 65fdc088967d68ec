"""The built-in indicators of monitoring.registry, written into the catalog (the ministry's edits of
name, target and use are kept when the migration runs again)."""
from django.db import migrations


def add_builtins(apps, schema_editor):
    from monitoring.registry import BUILTINS, catalog_fields

    Indicator = apps.get_model("monitoring", "Indicator")
    for builtin in BUILTINS:
        fields = catalog_fields(builtin)
        indicator = Indicator.objects.filter(code=builtin.code).first()
        if indicator is None:
            Indicator.objects.create(code=builtin.code, **fields)
            continue
        for name, value in fields.items():
            if name not in {"name", "target", "is_key"}:
                setattr(indicator, name, value)
        indicator.save()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(add_builtins, migrations.RunPython.noop)]
