"""End-to-end recomputation on PostgreSQL: load stored results → analytics → store the precomputed tables.

Unlike bench/recompute.py (the pure computation in memory), this measures what the Celery job does after
an upload: `procedure_recompute` for each procedure of the year (statistics at four levels, per-procedure
signs, risk groups, deficits) and `year_recompute` (cohort and calibrated signs, the index, ШНОР and the
bank of high results). Results are put into a scratch database first (not measured).

Targets (issue 4): a region year of 4 procedures × 25,000 pupils ≤ 10 s; 2,000,000 pupil results ≤ 5 min;
the cost per 100,000 pupils should stay flat.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rsoko_bench python bench/recompute_db.py [--small]
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from assessments.models import ParticipantResult, Procedure  # noqa: E402
from assessments.stats.services import procedure_recompute, year_recompute  # noqa: E402
from assessments.stats.synthetic_load import store_synthetic_procedure  # noqa: E402
from assessments.synthetic import generate_region  # noqa: E402
from rsoko.orgs.choices import OrgKind  # noqa: E402
from rsoko.orgs.models import Municipality, Organization, Region  # noqa: E402

SCHOOLS_PER_25000 = 720  # the generator's school sizes give ~25,000 pupils per procedure with 720 schools


def reset_database() -> None:
    """Empty the scratch database, then put back the built-in catalog and criteria the migrations load."""
    from importlib import import_module

    from django.apps import apps

    call_command("flush", "--noinput", verbosity=0)
    import_module("assessments.migrations.0002_builtin_catalog").add_catalog(apps, None)
    import_module("assessments.stats.migrations.0002_criteria").add(apps, None)


def registry_for(region) -> dict:
    home, _ = Region.objects.get_or_create(code="99", defaults={"name": "Бенчмарк"})
    municipalities = {mid: Municipality.objects.create(region=home, code=f"reg99_b{mid:04d}", name=f"Район {mid}")
                      for mid in sorted(region.schools["municipality_id"].unique())}
    schools = Organization.objects.bulk_create([
        Organization(kind=OrgKind.SCHOOL, code=f"sch9{row.school_id:06d}", fisoko_number=9_000_000 + row.school_id,
                     short_name=f"Школа {row.school_id}", municipality=municipalities[row.municipality_id],
                     settlement_type="city" if row.settlement_type == "город" else "rural")
        for row in region.schools.itertuples()])
    return dict(zip(region.schools["school_id"], schools))


def measure(label: str, pupils_per_procedure: int, target: float) -> dict:
    reset_database()
    n_schools = max(50, round(SCHOOLS_PER_25000 * pupils_per_procedure / 25000))
    region = generate_region(seed=1, n_schools=n_schools)
    schools = registry_for(region)
    start = time.perf_counter()
    procedures = [store_synthetic_procedure(sp, schools) for sp in region.procedures]
    loaded = time.perf_counter() - start
    year = region.last_year
    current = [p for p in procedures if p.year == year]
    pupils = ParticipantResult.objects.filter(procedure__in=current).count()
    start = time.perf_counter()
    for procedure in current:
        procedure_recompute(procedure_id=procedure.pk)
    per_procedure = time.perf_counter() - start
    start = time.perf_counter()
    year_recompute(year=year)
    per_year = time.perf_counter() - start
    total = per_procedure + per_year
    per_100k = total * 100000 / pupils
    print(f"\n== {label}: {len(current)} procedures of {year}, {pupils:,} pupil results, {n_schools:,} schools "
          f"(stored in {loaded:.1f} s, not measured)")
    print(f"   procedure recomputations   {per_procedure:8.2f} s")
    print(f"   year recomputation         {per_year:8.2f} s")
    print(f"   total {total:.2f} s → {per_100k:.2f} s per 100,000 pupils; target {target:.0f} s, "
          f"ratio {total / target:.3f} of the target")
    return {"pupils": pupils, "seconds": total, "per_100k": per_100k}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="only the 4 × 25,000 region year")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database: this bench empties it.")
    call_command("migrate", verbosity=0)
    small = measure("region year 4 × 25,000", 25000, 10.0)
    if args.small:
        return
    large = measure("2,000,000 pupil results (4 × 500,000)", 500000, 300.0)
    print(f"\ncost per 100,000 pupils: {small['per_100k']:.2f} s (small) vs {large['per_100k']:.2f} s (large), "
          f"ratio {large['per_100k'] / small['per_100k']:.2f}")


if __name__ == "__main__":
    main()
