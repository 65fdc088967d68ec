"""Who sees a job (issue 16, item 5): its owner, and the roles whose scope covers its organization for its kind.
An import's messages quote pupil codes and scores; an expert at the centre must not read the centre's."""
from django.core.files.uploadedfile import SimpleUploadedFile
import pytest

from assessments.services import results_upload_enqueue
from rsoko.jobs.models import Job
from rsoko.orgs.choices import Role
from tests.assessments.factories import procedure_with_tasks, template_rows, xlsx_bytes
from tests.factories import MembershipFactory, UserFactory, user_with_role


@pytest.fixture
def procedure(world):
    return procedure_with_tasks()


def upload(user, procedure, world, school=None):
    data = xlsx_bytes(template_rows([((school or world.school_a1).code, "1", [1, 1, 9, 2])]))
    return results_upload_enqueue(user=user, procedure=procedure, upload=SimpleUploadedFile("r.xlsx", data),
                                  mode="strict")


def seen_by(job, user) -> bool:
    return Job.objects.visible_to(user).filter(pk=job.pk).exists()


def test_an_expert_at_the_centre_does_not_see_the_centres_import(world, procedure, client_for,
                                                                django_capture_on_commit_callbacks):
    expert_at_centre = user_with_role("centre_expert", Role.EXPERT, world.centre)
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(world.user("centre"), procedure, world)
    job.refresh_from_db()
    assert job.status == "failed" and "балл «9»" in job.error  # the message quotes the file's scores
    assert not seen_by(job, expert_at_centre)
    assert seen_by(job, world.user("centre")) and seen_by(job, world.user("ministry"))
    assert seen_by(job, world.user("methodologist"))  # reads every result of the region anyway
    client = client_for(None)
    client.force_login(expert_at_centre, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}/").status_code == 404


def test_a_municipal_import_is_seen_in_its_municipality_only(world, procedure):
    job = upload(world.user("coordinator"), procedure, world)
    colleague = user_with_role("colleague", Role.MUNICIPAL_COORDINATOR, world.mouo_a)
    coordinator_b = user_with_role("coord_b", Role.MUNICIPAL_COORDINATOR, world.mouo_b)
    assert seen_by(job, colleague)
    assert not seen_by(job, coordinator_b)
    assert not seen_by(job, world.user("school_head"))  # the file may hold other schools of the municipality
    assert not seen_by(job, world.user("expert"))


def test_the_import_belongs_to_the_organization_that_grants_the_upload(world, procedure):
    """The first membership (by id) is the expert one: `.first()` used to file the job under the institute."""
    user = UserFactory(username="expert_and_coordinator")
    MembershipFactory(user=user, organization=world.institute, role=Role.EXPERT)
    MembershipFactory(user=user, organization=world.mouo_a, role=Role.MUNICIPAL_COORDINATOR)
    job = upload(user, procedure, world)
    assert job.organization == world.mouo_a
    assert not seen_by(job, world.user("expert"))  # the world's expert works at the institute


def test_region_wide_membership_is_preferred_whatever_the_order(world, procedure):
    user = UserFactory(username="coordinator_and_operator")
    MembershipFactory(user=user, organization=world.mouo_a, role=Role.MUNICIPAL_COORDINATOR)
    MembershipFactory(user=user, organization=world.centre, role=Role.CENTRE_OPERATOR)
    assert upload(user, procedure, world, school=world.school_b1).organization == world.centre


def test_a_job_of_no_organization_is_for_its_owner_and_region_wide_roles(world):
    job = Job.objects.create(kind="analytics_recompute", title="Пересчёт", handler="x.y",
                             created_by=world.user("coordinator"))
    assert seen_by(job, world.user("coordinator")) and seen_by(job, world.user("methodologist"))
    assert not seen_by(job, user_with_role("coord_a2", Role.MUNICIPAL_COORDINATOR, world.mouo_a))
    assert not seen_by(job, world.user("coordinator_api"))  # the API membership carries no right to jobs


def test_a_report_job_is_seen_where_its_organization_is(world):
    job = Job.objects.create(kind="report", title="Отчёт", handler="x.y", created_by=world.user("ministry"),
                             organization=world.school_a1)
    assert seen_by(job, world.user("school_head")) and seen_by(job, world.user("coordinator"))
    assert not seen_by(job, user_with_role("coord_b", Role.MUNICIPAL_COORDINATOR, world.mouo_b))
    assert not seen_by(job, world.user("expert"))
