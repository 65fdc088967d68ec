"""Celery tasks of the monitoring: thin wrappers around services."""
from celery import shared_task
from django.db import transaction

from .services import indicators_refresh, previous_quarter_freeze


@shared_task(name="monitoring.refresh")
def refresh(period: str | None = None) -> dict:
    """Recomputes the current year and quarter (or one period); beat runs it nightly."""
    return indicators_refresh(period)


@shared_task(name="monitoring.freeze_previous_quarter")
def freeze_previous_quarter() -> str:
    """Beat runs it on the first days of each quarter; freezing twice changes nothing."""
    return previous_quarter_freeze()


def enqueue_refresh() -> None:
    refresh.delay()


def refresh_after_commit() -> None:
    """Indicators are recomputed once the change is committed — once per transaction, however many
    changes it holds (a reporting round or an import touches hundreds of rows)."""
    connection = transaction.get_connection()
    if any(callback is enqueue_refresh for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(enqueue_refresh)
