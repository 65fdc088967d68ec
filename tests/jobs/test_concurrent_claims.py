"""Two messages for one job claiming it at the same moment, each on its own database connection (PostgreSQL)."""
import threading

from django.db import connection
import pytest

from rsoko.jobs.models import Job, JobStatus
from rsoko.jobs.services import job_claim
from tests.builtin_rows import restore_builtin_rows

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections need PostgreSQL (SQLite serialises the whole database)")
    restore_builtin_rows()  # a previous transactional test's flush removed the catalog


def claim_at_once(job_id: int, deliveries: list[str]) -> list:
    """Every thread waits at the barrier, then claims the job on its own connection."""
    barrier, claims = threading.Barrier(len(deliveries)), [None] * len(deliveries)

    def claim(index):
        try:
            barrier.wait(timeout=10)
            claims[index] = job_claim(job_id, delivery=deliveries[index])
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(index,)) for index in range(len(deliveries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return claims


def test_of_several_messages_claiming_a_queued_job_at_once_exactly_one_runs_it():
    for round_number in range(10):
        job = Job.objects.create(kind="test", title=f"Гонка {round_number}", handler="tests.jobs.test_faults.handler")
        claims = claim_at_once(job.pk, [f"message-{n}" for n in range(4)])
        winners = [claim for claim in claims if claim is not None]
        assert len(winners) == 1, claims
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING and job.attempts == 1 and job.delivery == winners[0].delivery


def test_a_message_delivered_twice_at_once_after_a_lost_worker_runs_one_new_attempt():
    job = Job.objects.create(kind="test", title="Повтор", handler="tests.jobs.test_faults.handler")
    assert job_claim(job.pk, delivery="message") is not None
    claims = claim_at_once(job.pk, ["message", "message", "message"])
    assert sum(claim is not None for claim in claims) == 1
    job.refresh_from_db()
    assert job.attempts == 2
