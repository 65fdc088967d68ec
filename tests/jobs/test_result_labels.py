"""Issue 17: a job's result names its values in Russian («Формат файла fisoko» was shown)."""
from rsoko.jobs.models import Job, JobStatus


def test_a_registry_jobs_file_format_is_named_not_coded(world, client_for):
    job = Job.objects.create(kind="registry_import", title="Загрузка реестра: протокол.xlsx", handler="unused",
                             created_by=world.user("ministry"), organization=world.ministry_org, status=JobStatus.DONE,
                             result={"summary": "Реестр загружен.", "layout": "fisoko", "unchanged": 3})
    page = client_for("ministry").get(f"/jobs/{job.pk}/").content.decode()
    assert "Формат файла" in page and "протокол или выгрузка ФИС ОКО" in page
    assert ">fisoko<" not in page
