"""Jobs that start worker processes go to their own queue, served by a solo-pool worker (docker-compose): a Celery
prefork child may not start processes (checked on a real worker: «daemonic processes are not allowed to have
children»), the solo pool's main process may."""
from pathlib import Path

from django.test import override_settings
import yaml

from rsoko.jobs.models import Job
from rsoko.jobs.services import job_enqueue, job_queue

from .test_faults import Broker

ROOT = Path(__file__).resolve().parents[2]


def test_an_archive_job_goes_to_the_heavy_queue_and_the_others_to_the_default(db, monkeypatch):
    from rsoko.jobs import tasks

    broker = Broker(down=False)
    monkeypatch.setattr(tasks.run_job, "apply_async", broker.apply_async)
    archive = Job.objects.create(kind="archive_import", title="Архив", handler="x")
    report = Job.objects.create(kind="report", title="Отчёт", handler="x")
    assert job_enqueue(archive.id) and job_enqueue(report.id)
    assert list(zip(broker.accepted, broker.queues)) == [(archive.id, "heavy"), (report.id, None)]


@override_settings(HEAVY_JOB_QUEUE="")
def test_an_empty_heavy_queue_setting_sends_every_job_to_the_default_queue(db):
    archive = Job.objects.create(kind="archive_import", title="Архив", handler="x")
    assert job_queue(archive.id) is None


def test_docker_compose_serves_the_heavy_queue_with_a_solo_pool_worker():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    heavy = services["worker-heavy"]["command"]
    assert "--pool=solo" in heavy and "--queues=heavy" in heavy
    assert not any(part.startswith("--queues") or part == "-Q" for part in services["worker"]["command"])
