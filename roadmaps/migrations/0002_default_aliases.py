"""Default executor aliases: the abbreviations of real roadmaps mapped to kinds of actors.

The ministry edits this table on the portal; these rows are only the starting point.
"""
from django.db import migrations

# (phrase, as_suffix, target, kind, note)
DEFAULT_ALIASES = [
    ("Департамент", False, "kind", "ministry", "департамент (министерство) образования региона"),
    ("Министерство", False, "kind", "ministry", "министерство образования региона"),
    ("Минобразования", False, "kind", "ministry", ""),
    ("ЦОКО", True, "kind", "centre", "БелРЦОКО, БелЦОКО, РИАЦОКО, РЦОКО…"),
    ("ИРО", True, "kind", "institute", "БелИРО, ВИРО, СОИРО…"),
    ("институт развития образования", False, "kind", "institute", ""),
    ("МОУО", False, "group", "mouo", "все муниципальные органы управления образованием"),
    ("органы местного самоуправления", False, "group", "mouo", "…осуществляющие управление в сфере образования"),
    ("муниципальные органы управления образованием", False, "group", "mouo", ""),
    ("органы управления образованием", False, "group", "mouo", ""),
    ("ОО", False, "group", "school", "общеобразовательные организации"),
    ("общеобразовательные организации", False, "group", "school", ""),
    ("руководители ОО", False, "group", "school", ""),
    ("Управление образования", False, "owner", "", "в муниципальной карте — сам МОУО, владелец документа"),
    ("Отдел образования", False, "owner", "", ""),
]


def add_aliases(apps, schema_editor):
    ExecutorAlias = apps.get_model("roadmaps", "ExecutorAlias")
    for phrase, as_suffix, target, kind, note in DEFAULT_ALIASES:
        ExecutorAlias.objects.get_or_create(
            phrase=phrase, defaults={"as_suffix": as_suffix, "target": target, "kind": kind, "note": note}
        )


def remove_aliases(apps, schema_editor):
    apps.get_model("roadmaps", "ExecutorAlias").objects.filter(phrase__in=[a[0] for a in DEFAULT_ALIASES]).delete()


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0001_initial")]
    operations = [migrations.RunPython(add_aliases, remove_aliases)]
