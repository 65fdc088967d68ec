"""Many changes in one transaction refresh the indicators once, after the commit."""
from django.db import transaction

from monitoring import tasks


def test_one_refresh_per_transaction(db, monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setattr(tasks.refresh, "delay", lambda *args: calls.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for _ in range(5):
                tasks.refresh_after_commit()
            assert calls == []  # nothing before the commit
    assert len(calls) == 1
