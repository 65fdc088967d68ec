"""Bench: quarterly PDF reports on the demo region (plain script, not a test).

Targets (issue 7): a municipal quarterly report ≤ 3 s; the region's quarterly set (the region and every
municipality) ≤ 60 s on 2 cores (rendered by 2 worker processes, as 2 Celery workers would).
The bench database is a separate SQLite file (var/bench-reports.sqlite3) filled by `manage.py demo` on first run;
set DATABASE_URL to use another database. Wall time is printed with the CPU time beside it, because a loaded
machine stretches the wall time.

    python bench/reports.py [--quarter 2026Q2] [--repeat 5]
"""
import argparse
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-reports.sqlite3'}")
(ROOT / "var").mkdir(exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from reports import rendering, sources  # noqa: E402
from reports.periods import Quarter  # noqa: E402
from rsoko.orgs.models import Organization  # noqa: E402


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ensure_demo() -> None:
    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(kind="mouo").exists():
        print("Заполняю базу бенча демо-данными (manage.py demo)…")
        call_command("demo")


def render_one(args) -> tuple[str, float, int]:
    org_id, quarter = args
    connections.close_all()
    start = time.perf_counter()
    rendered = rendering.render_quarterly(Organization.objects.get(pk=org_id), Quarter.parse(quarter))
    return rendered.title, time.perf_counter() - start, len(rendered.pdf)


def report(label: str, seconds: float, cpu: float, target: float) -> None:
    print(f"{label}: {seconds:.2f} s (CPU {cpu:.2f} s; цель {target:g} s, доля от цели {seconds / target:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarter", default="2026Q2", help="квартал с процедурами демо-данных (без дат → II квартал)")
    parser.add_argument("--repeat", type=int, default=5, help="сколько раз отрисовать муниципальный отчёт (медиана)")
    args = parser.parse_args()
    ensure_demo()
    offices = list(sources.municipal_offices())
    region = sources.region_organization()
    # The municipality with the most schools: the heaviest municipal report.
    largest = max(offices, key=lambda o: Organization.objects.schools().filter(municipality=o.municipality).count())
    render_one((largest.pk, args.quarter))  # warm-up: imports, template compilation, font loading
    runs = []
    for _ in range(args.repeat):
        cpu = cpu_seconds()
        title, seconds, size = render_one((largest.pk, args.quarter))
        runs.append((seconds, cpu_seconds() - cpu))
    seconds, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    report(f"Муниципальный квартальный отчёт ({largest.municipality.name}, {size // 1024} КБ), медиана {len(runs)} "
           f"прогонов, разброс {min(r[0] for r in runs):.2f}–{max(r[0] for r in runs):.2f} s", seconds, cpu, 3)

    targets = [(o.pk, args.quarter) for o in [region, *offices]]
    connections.close_all()
    cpu, start = cpu_seconds(), time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(render_one, targets))
    elapsed = time.perf_counter() - start
    report(f"Квартальный комплект региона ({len(results)} отчётов: регион + {len(offices)} муниципалитетов, 2 процесса)",
           elapsed, cpu_seconds() - cpu, 60)
    slowest = max(results, key=lambda r: r[1])
    print(f"  самый долгий: {slowest[0]} — {slowest[1]:.2f} s; нагрузка машины: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
