"""The official ВПР scales shipped as data (assessments/catalog/official_scales.py) fill the reference table."""
from django.db import migrations


def load_official_scales(apps, schema_editor):
    from assessments.catalog.official_scales import OFFICIAL_SCALES

    ProcedureKind = apps.get_model("assessments", "ProcedureKind")
    Subject = apps.get_model("assessments", "Subject")
    ReferenceScale = apps.get_model("assessments", "ReferenceScale")
    kinds = {k.slug: k for k in ProcedureKind.objects.all()}
    subjects = {s.code: s for s in Subject.objects.all()}
    for scale in OFFICIAL_SCALES:
        if scale.kind not in kinds or scale.subject not in subjects:
            continue  # a catalog edited by the region: the scale waits for its kind/subject
        ReferenceScale.objects.update_or_create(
            kind=kinds[scale.kind], subject=subjects[scale.subject], grade=scale.grade, year=scale.year,
            defaults={"max_score": scale.max_score, "boundaries": scale.boundaries, "conditions": [],
                      "source": scale.source[:300]},
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_h15a_export2020")]

    operations = [migrations.RunPython(load_official_scales, migrations.RunPython.noop)]
