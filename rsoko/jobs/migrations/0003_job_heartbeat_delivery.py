from django.db import migrations, models
from django.db.models import F


def running_jobs_were_alive_when_started(apps, schema_editor):
    """A job started before this field existed counts its start as its last sign of life."""
    apps.get_model("jobs", "Job").objects.filter(started_at__isnull=False).update(heartbeat_at=F("started_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0002_job_enqueued_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="последний признак работы"),
        ),
        migrations.AddField(
            model_name="job",
            name="delivery",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(running_jobs_were_alive_when_started, migrations.RunPython.noop),
    ]
