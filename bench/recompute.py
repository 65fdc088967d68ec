"""Time the pure recomputation of a region year (statistics at every level, all signs, the calibrated
evaluation, ШНОР and the bank of high results, risk groups and deficits) on synthetic regions.

Pure part only: the frames are built in memory by ``assessments.synthetic``; loading results from the
database and storing the computed rows are NOT measured here (to be added when the analytics are wired
to the database).

Targets (issue 4): a region year of 4 procedures × 25,000 pupils ≤ 10 s; 2,000,000 pupil results ≤ 5 min.

    python bench/recompute.py            # both sizes
    python bench/recompute.py --small    # only 4 × 25,000
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")

from assessments.analytics import pipeline as pl  # noqa: E402
from assessments.synthetic import generate_region  # noqa: E402

# Schools per 25,000 pupils in a procedure with the generator's size distribution (measured).
SCHOOLS_PER_25000 = 720


def measure(label: str, pupils_per_procedure: int, target_seconds: float, seed: int = 1) -> dict:
    n_schools = max(50, round(SCHOOLS_PER_25000 * pupils_per_procedure / 25000))
    start = time.perf_counter()
    region = generate_region(seed=seed, n_schools=n_schools)
    generated = time.perf_counter() - start
    year = region.last_year
    current = [pl.ProcedureInput.from_synthetic(p) for p in region.of_year(year)]
    previous = [pl.ProcedureInput.from_synthetic(p) for p in region.of_year(year - 1)]
    pupils = sum(len(p.results) for p in current)
    context = region.schools[["school_id", "settlement_type", "size"]]

    parts = {}
    start = time.perf_counter()
    t = time.perf_counter()
    statistics = [pl.procedure_statistics(p) for p in current]
    parts["statistics (7 forms × 4 levels)"] = time.perf_counter() - t
    t = time.perf_counter()
    risk = [pl.procedure_risk(p) for p in current]
    parts["risk groups and deficits"] = time.perf_counter() - t
    del statistics, risk
    t = time.perf_counter()
    full = pl.region_year(current, previous, context=context)
    parts["whole region_year (again, end to end)"] = time.perf_counter() - t
    elapsed = parts["whole region_year (again, end to end)"]
    rows = sum(len(frame) for forms in full["statistics"] for frame in forms.values())
    per_100k = elapsed * 100000 / pupils
    print(f"\n== {label}: {len(current)} procedures, {pupils:,} pupil results this year "
          f"({region.participants:,} over two years), {n_schools:,} schools; generated in {generated:.1f} s")
    for name, seconds in parts.items():
        print(f"   {name:<42} {seconds:8.2f} s")
    print(f"   statistic rows produced: {rows:,}; sign rows: {len(full['signs']):,} + calibrated "
          f"{len(full['calibrated']):,}")
    print(f"   pure recomputation: {elapsed:.2f} s  → {per_100k:.2f} s per 100,000 pupils; "
          f"target {target_seconds:.0f} s, ratio {elapsed / target_seconds:.3f} of the target")
    return {"pupils": pupils, "seconds": elapsed, "per_100k": per_100k}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="only the 4 × 25,000 region year")
    args = parser.parse_args()
    print("Pure computation only (no database load/store).")
    small = measure("region year 4 × 25,000", 25000, 10.0)
    if args.small:
        return
    large = measure("2,000,000 pupil results (4 × 500,000)", 500000, 300.0)
    print(f"\ncost per 100,000 pupils: {small['per_100k']:.2f} s (small) vs {large['per_100k']:.2f} s (large), "
          f"ratio {large['per_100k'] / small['per_100k']:.2f}")


if __name__ == "__main__":
    main()
