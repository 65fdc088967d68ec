"""Celery tasks of the monitoring: thin wrappers around services."""
from celery import shared_task

from .services import indicators_refresh, previous_quarter_freeze


@shared_task(name="monitoring.refresh")
def refresh(period: str | None = None) -> dict:
    """Recomputes the current year and quarter (or one period); beat runs it nightly."""
    return indicators_refresh(period)


@shared_task(name="monitoring.freeze_previous_quarter")
def freeze_previous_quarter() -> str:
    """Beat runs it on the first days of each quarter; freezing twice changes nothing."""
    return previous_quarter_freeze()
