"""Variants of a procedure instance, and the official ВПР reference scales the catalog offers.

The scales are reference data, stored per year: code never carries a scale. Only figures that could be
checked against a published source are listed; `source` quotes where they come from.
"""
from django.db import migrations, models

FIOKO_2021 = (
    "ФИОКО, «Рекомендации по переводу первичных баллов в отметки по пятибалльной шкале», ВПР-2021 "
    "(в описании домена проекта: {text})"
)
FIOKO_2026_RU4 = (
    "Демоверсия ФИОКО ВПР-2026, русский язык, 4 класс: «Максимальный первичный балл – 24»; "
    "«2»: 0–9, «3»: 10–15, «4»: 16–20, «5»: 21–24 (пересказ на vpr-ege.ru, демоверсия ВПР 2026 по русскому языку 4 класс)"
)
# kind, subject, grade, year, max score, first scores of «3», «4», «5», source
REFERENCE_SCALES = [
    ("ВПР", "MA", 4, 2021, 20, (6, 10, 15), FIOKO_2021.format(text="Математика 4: 0–5 | 6–9 | 10–14 | 15–20")),
    ("ВПР", "RU", 4, 2021, 38, (14, 24, 33), FIOKO_2021.format(text="Русский 4: 0–13 | 14–23 | 24–32 | 33–38")),
    ("ВПР", "MA", 5, 2021, 20, (7, 11, 15), FIOKO_2021.format(text="Математика 5: 0–6 | 7–10 | 11–14 | 15–20")),
    ("ВПР", "RU", 5, 2021, 45, (18, 29, 39), FIOKO_2021.format(text="Русский 5: 0–17 | 18–28 | 29–38 | 39–45")),
    ("ВПР", "RU", 4, 2026, 24, (10, 16, 21), FIOKO_2026_RU4),
]


def add_reference_scales(apps, schema_editor):
    ProcedureKind = apps.get_model("assessments", "ProcedureKind")
    Subject = apps.get_model("assessments", "Subject")
    ReferenceScale = apps.get_model("assessments", "ReferenceScale")
    for kind_code, subject_code, grade, year, max_score, firsts, source in REFERENCE_SCALES:
        ReferenceScale.objects.update_or_create(
            kind=ProcedureKind.objects.get(code=kind_code),
            subject=Subject.objects.get(code=subject_code),
            grade=grade,
            year=year,
            defaults={
                "max_score": max_score,
                "boundaries": dict(zip(["3", "4", "5"], firsts)),
                "conditions": [],
                "source": source,
            },
        )


def remove_reference_scales(apps, schema_editor):
    ReferenceScale = apps.get_model("assessments", "ReferenceScale")
    for kind_code, subject_code, grade, year, *_ in REFERENCE_SCALES:
        ReferenceScale.objects.filter(
            kind__code=kind_code, subject__code=subject_code, grade=grade, year=year
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_builtin_catalog")]

    operations = [
        migrations.AddField(
            model_name="procedure",
            name="variants",
            field=models.JSONField(
                blank=True, default=list, help_text='номера вариантов КИМ, например ["1", "2"]', verbose_name="варианты"
            ),
        ),
        migrations.RunPython(add_reference_scales, remove_reference_scales),
    ]
