"""Stored sign explanations written before the analytics used rsoko.typography print numbers the English way
(«z = 11.62», «p = 3.5e-15», «z = -inf») and say «по 1 процедурам». A procedure's signs are rewritten only when
it is recomputed, and an old year's procedures may never be, so the stored texts are rewritten here the way the
analytics now write them.

Self-contained on purpose: a migration must not change when the application's code does.
"""
import re

from django.db import migrations

SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
SCIENTIFIC = re.compile(r"(\d(?:\.\d+)?)e([+-]\d+)")  # 3.5e-15
DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
HYPHEN_MINUS = re.compile(r"-(?=\d|inf)")  # before a number only: words and codes keep their hyphens
INFINITY = re.compile(r"\binf\b")
PROCEDURES = re.compile(r"по (\d+) процедурам")
BATCH = 2000


def power_of_ten(match) -> str:
    return f"{match.group(1)}·10{str(int(match.group(2))).translate(SUPERSCRIPT)}"


def procedures_agreed(match) -> str:
    count = int(match.group(1))
    return f"по {count} процедуре" if count % 10 == 1 and count % 100 != 11 else match.group(0)


def rewritten(text: str) -> str:
    text = SCIENTIFIC.sub(power_of_ten, text)
    text = DECIMAL_POINT.sub(",", text)
    text = HYPHEN_MINUS.sub("−", text)
    text = PROCEDURES.sub(procedures_agreed, text)
    return INFINITY.sub("∞", text)


def rewrite(apps, schema_editor):
    Sign = apps.get_model("stats", "ObjectivitySign")
    changed = []
    for sign in Sign.objects.only("id", "explanation").iterator(chunk_size=BATCH):
        text = rewritten(sign.explanation)
        if text != sign.explanation:
            sign.explanation = text
            changed.append(sign)
        if len(changed) >= BATCH:
            Sign.objects.bulk_update(changed, ["explanation"])
            changed = []
    Sign.objects.bulk_update(changed, ["explanation"])


class Migration(migrations.Migration):
    dependencies = [("stats", "0003_recheck_criterion")]
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
