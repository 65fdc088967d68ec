"""The default executor aliases: abbreviations of real roadmaps mapped to kinds of actors.

Installed by a data migration (and by the demo); the ministry edits the table on the portal afterwards.
"""
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




def install_default_aliases(model=None) -> int:
    """Adds the default rows that are missing; rows the ministry changed stay as they are."""
    if model is None:
        from .models import ExecutorAlias as model
    created = 0
    for phrase, as_suffix, target, kind, note in DEFAULT_ALIASES:
        _, was_created = model.objects.get_or_create(
            phrase=phrase, defaults={"as_suffix": as_suffix, "target": target, "kind": kind, "note": note}
        )
        created += was_created
    return created
