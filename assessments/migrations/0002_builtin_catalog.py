"""Built-in procedure kinds and subjects of the catalog."""
from django.db import migrations

KINDS = [
    # code, slug, name, level, grading
    ("ВПР", "VPR", "Всероссийские проверочные работы", "federal", "marks"),
    ("ОГЭ", "OGE", "Основной государственный экзамен (ГИА-9)", "federal", "marks"),
    ("ЕГЭ", "EGE", "Единый государственный экзамен (ГИА-11)", "federal", "test_score"),
    ("ГВЭ-9", "GVE9", "Государственный выпускной экзамен (ГИА-9)", "federal", "marks"),
    ("ГВЭ-11", "GVE11", "Государственный выпускной экзамен (ГИА-11)", "federal", "marks"),
    ("ИС", "ITS", "Итоговое сочинение (изложение)", "federal", "pass_fail"),
    ("ИСОБ", "ITSOB", "Итоговое собеседование по русскому языку", "federal", "pass_fail"),
    ("НИКО", "NIKO", "Национальные исследования качества образования", "federal", "marks"),
    ("PISA", "PISA", "Исследование по модели PISA", "federal", "marks"),
    ("TIMSS", "TIMSS", "Исследование по модели TIMSS", "federal", "marks"),
    ("PIRLS", "PIRLS", "Исследование по модели PIRLS", "federal", "marks"),
    ("РПР", "RPR", "Региональные проверочные работы", "regional", "marks"),
    ("РДР", "RDR", "Региональные диагностические работы", "regional", "marks"),
    ("Пробный ОГЭ", "TOGE", "Пробный ОГЭ (региональный)", "regional", "marks"),
    ("Пробный ЕГЭ", "TEGE", "Пробный ЕГЭ (региональный)", "regional", "test_score"),
    ("МПР", "MPR", "Муниципальные проверочные работы", "municipal", "marks"),
]
SUBJECTS = [
    ("RU", "Русский язык"), ("MA", "Математика"), ("OKR", "Окружающий мир"), ("BI", "Биология"),
    ("GEO", "География"), ("HIST", "История"), ("OBSH", "Обществознание"), ("PHYS", "Физика"),
    ("CHEM", "Химия"), ("INF", "Информатика"), ("LIT", "Литература"), ("EN", "Английский язык"),
    ("DE", "Немецкий язык"), ("FR", "Французский язык"), ("READ", "Читательская грамотность"),
    ("MATHLIT", "Математическая грамотность"), ("SCILIT", "Естественнонаучная грамотность"),
]


def add_catalog(apps, schema_editor):
    ProcedureKind = apps.get_model("assessments", "ProcedureKind")
    Subject = apps.get_model("assessments", "Subject")
    for order, (code, slug, name, level, grading) in enumerate(KINDS):
        ProcedureKind.objects.update_or_create(
            code=code, defaults=dict(slug=slug, name=name, level=level, grading=grading, is_builtin=True, order=order)
        )
    for code, name in SUBJECTS:
        Subject.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(add_catalog, migrations.RunPython.noop)]
