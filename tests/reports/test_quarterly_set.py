"""The scheduled quarterly set is rendered exactly once: one job per quarter, one version per organization and job.

The PDF itself is not rendered here (reports.rendering is replaced by a stub): these tests are about what is
stored and when, and run without Node.js.
"""
from django.db import IntegrityError, transaction
from freezegun import freeze_time
import pytest

from reports import rendering, services
from reports.models import ReportArchive, ReportKind
from reports.periods import Quarter
from reports.tasks import quarterly_set
from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import JobSuperseded, job_claim, job_run

Q2 = Quarter.parse("2021Q2")


class WorkerLost(BaseException):
    """Stands in for a SIGKILL: nothing of the job's own code runs after it (job_run catches only Exception)."""


class Renderer:
    """Replaces rendering.render_quarterly; records whom it rendered for, and can die at a given organization."""

    def __init__(self):
        self.rendered, self.die_at = [], None

    def __call__(self, organization, quarter):
        self.rendered.append(organization.code)
        if organization == self.die_at:
            self.die_at = None  # dies once, as a worker killed in the middle of the set
            raise WorkerLost
        return rendering.Rendered(b"%PDF-1.7\n", "Квартальный отчёт", f"q-{organization.code}-{quarter.code}.pdf", {})


@pytest.fixture
def renderer(monkeypatch):
    renderer = Renderer()
    monkeypatch.setattr(rendering, "render_quarterly", renderer)
    return renderer


def versions(organization) -> list[int]:
    return sorted(ReportArchive.objects.filter(kind=ReportKind.QUARTERLY, organization=organization,
                                               period=Q2.code).values_list("version", flat=True))


def test_a_set_job_cut_short_by_a_lost_worker_resumes_without_a_second_version(world, renderer):
    job = Job.objects.get(pk=quarterly_set(Q2.code))
    renderer.die_at = world.mouo_b  # the region and the first municipality are stored, then the worker is lost
    with pytest.raises(WorkerLost):
        job_run(job.pk, delivery="beat-message")
    assert [versions(o) for o in (world.ministry_org, world.mouo_a, world.mouo_b)] == [[1], [1], []]
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING

    job_run(job.pk, delivery="beat-message")  # Celery hands the message out again
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert [versions(o) for o in (world.ministry_org, world.mouo_a, world.mouo_b)] == [[1], [1], [1]]
    assert renderer.rendered == ["MIN", world.mouo_a.code, world.mouo_b.code, world.mouo_b.code]
    assert job.result["count"] == 3 and job.result["resumed"] == 2
    assert job.result["summary"] == ("Сформировано отчётов: 3. Задание перезапускалось; сохранены до перезапуска "
                                     "и заново не формировались: 2.")
    assert set(ReportArchive.objects.filter(job=job).values_list("pk", flat=True)) == set(job.result["reports"])


def test_the_set_handler_run_twice_renders_each_organization_once(world, renderer):
    job = job_claim(quarterly_set(Q2.code))
    first = services.quarterly_set_job(job, lambda stage, percent: None)
    second = services.quarterly_set_job(job, lambda stage, percent: None)
    assert first["reports"] == second["reports"] and len(renderer.rendered) == 3
    assert ReportArchive.objects.filter(job=job).count() == 3


def test_a_superseded_attempt_of_the_set_stores_nothing(world, renderer):
    old = job_claim(quarterly_set(Q2.code), delivery="m")
    job_claim(old.pk, delivery="m")  # a newer attempt has claimed the job meanwhile
    with pytest.raises(JobSuperseded):
        services.quarterly_set_job(old, lambda stage, percent: None)
    assert not ReportArchive.objects.exists()


def test_a_job_can_store_only_one_report_per_organization(world, renderer):
    job = job_claim(quarterly_set(Q2.code))
    services.quarterly_render(organization=world.mouo_a, quarter=Q2, job=job)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.quarterly_render(organization=world.mouo_a, quarter=Q2, job=job)


def test_beat_firing_twice_for_a_quarter_creates_one_job(world):
    with freeze_time("2026-10-02 03:30"):
        first, second = quarterly_set(), quarterly_set()
    assert first == second
    assert Job.objects.filter(handler="reports.services.quarterly_set_job").count() == 1
    assert Job.objects.get(pk=first).unique_key == "reports.quarterly_set:2026Q3"
    assert quarterly_set("2026Q2") != first  # another quarter, another job


def test_the_database_refuses_a_second_set_job_for_the_quarter(world):
    quarterly_set(Q2.code)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="report", title="Второй комплект", handler="reports.services.quarterly_set_job",
                           unique_key=f"reports.quarterly_set:{Q2.code}")


def test_a_failed_set_job_may_be_ordered_again(world):
    failed = quarterly_set(Q2.code)
    Job.objects.filter(pk=failed).update(status=JobStatus.FAILED, error="Узел не ответил")
    again = quarterly_set(Q2.code)
    assert again != failed and quarterly_set(Q2.code) == again
    assert Job.objects.get(pk=again).status == JobStatus.QUEUED


def test_reports_ordered_by_people_still_add_versions_after_the_set(world, renderer):
    job_run(quarterly_set(Q2.code))
    for _ in range(2):
        ordered = services.report_job_create(user=world.users["coordinator"], kind=ReportKind.QUARTERLY,
                                             organization=world.mouo_a, quarter=Q2)
        job_run(ordered.pk)
    assert versions(world.mouo_a) == [1, 2, 3] and versions(world.mouo_b) == [1]
    assert ReportArchive.objects.get(organization=world.mouo_a, version=3).job_id == ordered.pk
