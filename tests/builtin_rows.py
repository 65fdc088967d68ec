"""Rows the data migrations write (catalog, reference scales, criteria, indicators, executor aliases).

The flush after every transactional test removes them; a transactional test that needs them puts them back
with `restore_builtin_rows()` (each function is idempotent: update_or_create).
"""
from importlib import import_module

BUILTIN_ROWS = [("assessments.migrations.0002_builtin_catalog", "add_catalog"),
                ("assessments.migrations.0003_catalog_variants_reference_scales", "add_reference_scales"),
                ("assessments.stats.migrations.0002_criteria", "add"),
                ("assessments.stats.migrations.0003_recheck_criterion", "add"),
                ("monitoring.migrations.0002_builtin_indicators", "add_builtins"),
                ("roadmaps.migrations.0002_default_aliases", "add_aliases")]


def restore_builtin_rows():
    from django.apps import apps

    for module, function in BUILTIN_ROWS:
        getattr(import_module(module), function)(apps, None)
