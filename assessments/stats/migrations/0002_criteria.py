"""The criteria of non-objective results with their default thresholds (the ministry may change them)."""
from django.db import migrations

CRITERIA = [
    # code, title, official, params
    ("general", "Общие параметры: минимальный объём выборки школы", False, {"min_participants": 10}),
    ("official_mean_ci", "Завышенный средний первичный балл (95 % доверительные интервалы)", True, {"ci_z": 1.96}),
    ("official_spearman", "Несоответствие результатов отметкам в журнале (ρ Спирмена < 0)", True,
     {"spearman_threshold": 0.0}),
    ("official_cohort", "Резкое изменение результатов когорты между 4 и 5 классом", True, {"cohort_iqr_multiplier": 3.0}),
    ("heaping", "Скопление участников на первом балле отметки", False, {"heaping_alpha": 0.001, "heaping_min_pairs": 5}),
    ("raised_marks", "Доля повысивших отметку относительно журнала выше региональной", False,
     {"raised_excess_pp": 20.0, "raised_alpha": 0.01}),
    ("cal_journal_residual", "Калиброванная оценка: результаты выше, чем объясняют отметки в журнале", False,
     {"fdr_q": 0.05}),
    ("cal_journal_consistency", "Калиброванная оценка: слабая согласованность результатов с журналом", False, {}),
    ("cal_heaping", "Калиброванная оценка: избыток участников на границах отметок", False, {}),
    ("cal_cohort", "Калиброванная оценка: изменение когорты 4 → 5 в стандартных ошибках", False, {}),
    ("shnor", "Правило отбора ШНОР и банка школ с высокими результатами", False,
     {"share": 0.10, "min_procedures": 2, "years_running": 2, "min_participants": 10}),
]


def add(apps, schema_editor):
    Criterion = apps.get_model("stats", "ObjectivityCriterion")
    for code, title, official, params in CRITERIA:
        Criterion.objects.update_or_create(code=code, defaults={"title": title, "is_official": official, "params": params})


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
