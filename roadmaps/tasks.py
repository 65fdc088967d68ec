"""Celery tasks of roadmaps: thin wrappers around services."""
from celery import shared_task

from .services import roadmaps_daily


@shared_task(name="roadmaps.daily_check")
def daily_check() -> dict:
    """Run by beat once a day (CELERY_BEAT_SCHEDULE["roadmaps-daily-check"])."""
    return roadmaps_daily()
