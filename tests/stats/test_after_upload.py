"""A committed import starts the analytics recomputation as a job of its own."""
from assessments.services import results_changed
from assessments.stats.models import StatisticRow
from rsoko.jobs.models import Job, JobStatus

from .factories import add_results, make_procedure


def test_results_changed_recomputes_the_procedure_through_a_job(world, django_capture_on_commit_callbacks):
    procedure = make_procedure()
    add_results(procedure, world.school_a1, 12, skill=0.7, seed=5)
    with django_capture_on_commit_callbacks(execute=True):
        results_changed(procedure.id, world.user("centre"))
    job = Job.objects.get(kind="analytics_recompute")
    assert job.status == JobStatus.DONE, job.error
    assert job.created_by == world.user("centre") and job.params["procedure_ids"] == [procedure.id]
    assert StatisticRow.objects.filter(procedure=procedure, level="school", school=world.school_a1).exists()
    procedure.refresh_from_db()
    assert procedure.status == "loaded"


def test_the_recomputation_refreshes_the_monitoring_indicators(world, django_capture_on_commit_callbacks):
    from monitoring.models import IndicatorValue

    procedure = make_procedure()
    add_results(procedure, world.school_a1, 12, skill=0.7, seed=5)
    with django_capture_on_commit_callbacks(execute=True):
        results_changed(procedure.id, world.user("centre"))
    assert IndicatorValue.objects.exists()
