"""Explanations stored before the analytics wrote Russian numbers are rewritten by a data migration."""
from importlib import import_module

import pytest

migration = import_module("assessments.stats.migrations.0004_russian_numbers_in_explanations")

WORDING = "признаки необъективности, требующие дополнительного анализа"


@pytest.mark.parametrize("stored, expected", [
    (f"Повысили отметку 70 % (в регионе 24 %, порог 44 %), биномиальный тест p = 3.5e-15 < 0.01: {WORDING}.",
     f"Повысили отметку 70 % (в регионе 24 %, порог 44 %), биномиальный тест p = 3,5·10⁻¹⁵ < 0,01: {WORDING}."),
    ("Избыток участников на границах отметок: z = -inf по 2 процедурам, p = 1, с поправкой Бенджамини — Хохберга "
     "q = 1: признак не выявлен.",
     "Избыток участников на границах отметок: z = −∞ по 2 процедурам, p = 1, с поправкой Бенджамини — Хохберга "
     "q = 1: признак не выявлен."),
    ("Результаты выше, чем объясняют отметки школы в журнале: z = 11.62 по 4 процедурам, p = 1e-31, с поправкой "
     f"Холма q = 4.2e-29 ≤ 0.05: {WORDING}.",
     "Результаты выше, чем объясняют отметки школы в журнале: z = 11,62 по 4 процедурам, p = 1·10⁻³¹, с поправкой "
     f"Холма q = 4,2·10⁻²⁹ ≤ 0,05: {WORDING}."),
    ("Изменение результатов когорты 4 → 5 в стандартных ошибках: z = 2.1 по 1 процедурам, p = 0.036",
     "Изменение результатов когорты 4 → 5 в стандартных ошибках: z = 2,1 по 1 процедуре, p = 0,036"),
    ("z = 0.5 по 11 процедурам", "z = 0,5 по 11 процедурам"),
    ("K = 0.90 в пределах [0.65; 1.35]: признак не выявлен.", "K = 0,90 в пределах [0,65; 1,35]: признак не выявлен."),
    ("ρ Спирмена = -0.12: признак не выявлен.", "ρ Спирмена = −0,12: признак не выявлен."),
    ("Не оценивалось: участников 5 < 10", "Не оценивалось: участников 5 < 10"),
])
def test_stored_explanations_read_as_the_analytics_now_write_them(stored, expected):
    assert migration.rewritten(stored) == expected


@pytest.mark.django_db
def test_the_migration_rewrites_stored_signs_only_where_needed(world):
    from django.apps import apps

    from assessments.stats.models import ObjectivitySign

    def stored(explanation):
        return ObjectivitySign.objects.create(year=2021, school=world.school_a1, criterion="official_spearman",
                                              version=1, evaluated=True, flagged=False, explanation=explanation)

    old, plain = stored("ρ Спирмена = -0.12: признак не выявлен."), stored("Не оценивалось: участников 5 < 10")
    migration.rewrite(apps, None)
    old.refresh_from_db()
    plain.refresh_from_db()
    assert old.explanation == "ρ Спирмена = −0,12: признак не выявлен."
    assert plain.explanation == "Не оценивалось: участников 5 < 10"
