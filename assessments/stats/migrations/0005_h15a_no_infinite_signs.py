"""Signs stored as ±∞ (the calibrated heaping signal of a school with no pupil at any mark's first score had
z = −∞) made `/api/v1/objectivity-signs/` answer 500: JSON has no infinity. They become «не оценивалось», as the
analytics now write them. Self-contained on purpose: a migration must not change when the application's code does.
"""
from django.db import migrations
from django.db.models import Q

HUGE = 1e308
UNDEFINED = "Не оценивалось: показатель не определён (нет участников, на которых он считается)"
HEAPING = "Не оценивалось: ни одного участника на первом балле отметки — скопления на границе нет"


def infinite(field: str) -> Q:
    return Q(**{f"{field}__gt": HUGE}) | Q(**{f"{field}__lt": -HUGE})


def is_infinite(value) -> bool:
    return value is not None and abs(value) > HUGE


def fix_infinite_signs(apps, schema_editor):
    Sign = apps.get_model("stats", "ObjectivitySign")
    broken = Sign.objects.filter(infinite("value") | infinite("threshold") | infinite("p_value") | infinite("q_value"))
    changed = []
    for sign in broken.iterator(chunk_size=2000):
        if is_infinite(sign.value):
            sign.value = sign.p_value = sign.q_value = None
            sign.evaluated = sign.flagged = False
            sign.explanation = HEAPING if sign.criterion == "cal_heaping" else UNDEFINED
        for field in ("threshold", "p_value", "q_value"):
            if is_infinite(getattr(sign, field)):
                setattr(sign, field, None)
        changed.append(sign)
    Sign.objects.bulk_update(changed, ["value", "threshold", "p_value", "q_value", "evaluated", "flagged", "explanation"],
                             batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("stats", "0004_russian_numbers_in_explanations")]
    operations = [migrations.RunPython(fix_infinite_signs, migrations.RunPython.noop)]
