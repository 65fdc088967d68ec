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


def test_claims_racing_on_a_redelivered_message_never_share_an_attempt():
    """The same message is not handed out twice at once (the task time limit stays below the broker's visibility
    timeout), but if it were, every claim that wins is a new attempt of its own, so the older is fenced out."""
    job = Job.objects.create(kind="test", title="Повтор", handler="tests.jobs.test_faults.handler")
    assert job_claim(job.pk, delivery="message") is not None
    won = [claim.attempts for claim in claim_at_once(job.pk, ["message"] * 4) if claim is not None]
    job.refresh_from_db()
    assert won and len(set(won)) == len(won) and job.attempts == 1 + len(won) == max(won)


def test_two_callers_ordering_the_same_keyed_job_at_once_get_one_job(monkeypatch):
    from rsoko.jobs import tasks
    from rsoko.jobs.services import job_create_once

    monkeypatch.setattr(tasks.run_job, "apply_async", lambda args, queue=None: None)  # hand-over only; nothing runs
    barrier, created = threading.Barrier(4), []

    def order():
        try:
            barrier.wait(timeout=10)
            job, is_new = job_create_once(unique_key="reports.quarterly_set:2026Q3", kind="report", title="Комплект",
                                          handler="tests.jobs.test_faults.handler")
            created.append((job.pk, is_new))
        finally:
            connection.close()

    threads = [threading.Thread(target=order) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(created) == 4 and len({pk for pk, _ in created}) == 1
    assert sum(is_new for _, is_new in created) == 1
    assert Job.objects.filter(unique_key="reports.quarterly_set:2026Q3").count() == 1
