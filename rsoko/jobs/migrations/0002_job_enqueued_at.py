from django.db import migrations, models
from django.db.models import F


def existing_jobs_were_enqueued(apps, schema_editor):
    """Jobs created before this field existed went to the broker then: they must not be handed over twice."""
    apps.get_model("jobs", "Job").objects.update(enqueued_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="enqueued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="передано в очередь"),
        ),
        migrations.RunPython(existing_jobs_were_enqueued, migrations.RunPython.noop),
    ]
