"""Default executor aliases: the abbreviations of real roadmaps mapped to kinds of actors.

The ministry edits this table on the portal; these rows are only the starting point.
"""
from django.db import migrations

from roadmaps.default_aliases import DEFAULT_ALIASES, install_default_aliases


def add_aliases(apps, schema_editor):
    install_default_aliases(apps.get_model("roadmaps", "ExecutorAlias"))


def remove_aliases(apps, schema_editor):
    apps.get_model("roadmaps", "ExecutorAlias").objects.filter(phrase__in=[a[0] for a in DEFAULT_ALIASES]).delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0001_initial")]
    operations = [migrations.RunPython(add_aliases, remove_aliases)]
