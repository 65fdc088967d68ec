"""Roadmap import speed: parses and matches every seed document (no writes) and imports the largest one.

Run: python bench/roadmaps_import.py  (needs ../shared/seeds and a migrated database with the demo registry).
There is no stated floor for roadmaps; the figure printed is against 1 s for the four documents.
"""
from pathlib import Path
import os
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from roadmaps.services import roadmap_import, roadmap_import_preview  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FLOOR_SECONDS = 1.0


def main() -> None:
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        sys.exit(f"no seed documents in {SEEDS}")
    for attempt in ("first (cold: first queries)", "second (warm)"):
        start = time.perf_counter()
        previews = [roadmap_import_preview(name=f.name, data=f.read_bytes(), level="region", owner=None) for f in files]
        parsed = time.perf_counter() - start
        rows = sum(len(p.rows) for p in previews)
        print(f"{attempt} preview of {len(files)} documents, {rows} rows: {parsed:.3f} s "
              f"(ratio to {FLOOR_SECONDS} s: {parsed / FLOOR_SECONDS:.2f})")
    largest = max(previews, key=lambda p: len(p.rows))
    start = time.perf_counter()
    with transaction.atomic():
        roadmap = roadmap_import(preview=largest)
        written = time.perf_counter() - start
        print(f"import of {len(largest.rows)} rows with {roadmap.items.count()} items: {written:.3f} s")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
