"""Public calendar speed: a year with 400 procedures, first (uncached) and repeated (cached) requests.

Run after `manage.py migrate`: python bench/public_pages.py. Writes happen inside a transaction that is
rolled back, so the database is left as it was. Targets: uncached ≤ 500 ms, cached ≤ 20 ms.
"""
from datetime import date, timedelta
import os
from pathlib import Path
import statistics
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")
import django  # noqa: E402

django.setup()
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from assessments.models import Procedure, ProcedureKind, Subject  # noqa: E402

PROCEDURES, UNCACHED_TARGET_MS, CACHED_TARGET_MS = 400, 500, 20


class Rollback(Exception):
    pass


def fill(year: int) -> None:
    kinds, subjects = list(ProcedureKind.objects.all()), list(Subject.objects.all())
    Procedure.objects.bulk_create(
        Procedure(code=f"BENCH-{year}-{n}", kind=kinds[n % len(kinds)], subject=subjects[n % len(subjects)],
                  year=year, grade=4 + n % 8, date_start=date(year, 1, 10) + timedelta(days=n % 340))
        for n in range(PROCEDURES)
    )


def timed(client, url, runs=5, clear=False) -> float:
    samples = []
    for _ in range(runs):
        if clear:
            cache.clear()
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    client, year = Client(), date.today().year
    try:
        with transaction.atomic():
            fill(year)
            url = f"/public/calendar/?year={year}"
            uncached = timed(client, url, clear=True)
            cached = timed(client, url)
            api = timed(client, f"/api/v1/public/calendar/?year={year}", clear=True)
            print(f"calendar, {PROCEDURES} procedures, uncached: {uncached:.1f} ms "
                  f"(target {UNCACHED_TARGET_MS} ms, ratio {uncached / UNCACHED_TARGET_MS:.2f})")
            print(f"calendar, cached: {cached:.2f} ms (target {CACHED_TARGET_MS} ms, ratio {cached / CACHED_TARGET_MS:.2f})")
            print(f"public API calendar, uncached: {api:.1f} ms (target {UNCACHED_TARGET_MS} ms, "
                  f"ratio {api / UNCACHED_TARGET_MS:.2f})")
            raise Rollback
    except Rollback:
        cache.clear()


if __name__ == "__main__":
    main()
