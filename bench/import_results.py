"""Benchmark: importing a ФИС ОКО regional export (format B) end to end on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rsoko_bench python bench/import_results.py [--pupils 30000]
        [--csv-pupils 1000000] [--skip-csv]

Prints: the end-to-end import time of a 30,000 pupils × 20 tasks xlsx (target ≤ 3 s), the bare calamine
read of the same file and the ratio (target ≤ 4×), then a 1,000,000-pupil CSV (target ≤ 60 s).
"""
import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")

import django  # noqa: E402

TASKS = 20
MAXIMA = [1, 1, 2, 1, 2, 1, 1, 3, 1, 2, 1, 1, 2, 1, 1, 2, 1, 2, 3, 2]
SCHOOLS = 400
TARGET_SECONDS, TARGET_RATIO, TARGET_CSV_SECONDS = 3.0, 4.0, 60.0


def setup_world():
    from assessments.models import Procedure, ProcedureKind, Subject, Task
    from rsoko.orgs.models import Municipality, Organization, Region

    region, _ = Region.objects.get_or_create(code="99", defaults={"name": "Тестовая область"})
    municipality, _ = Municipality.objects.get_or_create(code="bench_m001", defaults={"region": region, "name": "Бенчмарк"})
    existing = set(Organization.objects.filter(code__startswith="sch98").values_list("code", flat=True))
    Organization.objects.bulk_create([
        Organization(kind="school", code=f"sch98{i:04d}", fisoko_number=int(f"98{i:04d}"), short_name=f"Школа {i}",
                     municipality=municipality) for i in range(SCHOOLS) if f"sch98{i:04d}" not in existing])
    procedure, created = Procedure.objects.get_or_create(
        code="BENCH-VPR-MA-6", defaults={"kind": ProcedureKind.objects.get(slug="VPR"), "year": 2021,
                                          "subject": Subject.objects.get(code="MA"), "grade": 6, "max_score": sum(MAXIMA)})
    if created:
        Task.objects.bulk_create([Task(procedure=procedure, position=i, label=str(i), max_score=m)
                                  for i, m in enumerate(MAXIMA, start=1)])
    return procedure


def export_table(pupils: int, seed: int = 1):
    """Rows of a regional export: codes, marks, 5 % absent, 3 % «X» cells; as lists of text."""
    import numpy as np

    rng = np.random.default_rng(seed)
    maxima = np.array(MAXIMA)
    scores = (rng.random((pupils, TASKS)) * (maxima + 1)).astype(int)
    text = scores.astype(str).astype(object)
    text[rng.random((pupils, TASKS)) < 0.03] = "X"
    absent = rng.random(pupils) < 0.05
    text[absent] = ""
    totals = np.where(absent, "", scores.sum(axis=1).astype(str))
    schools = np.array([f"sch98{i:04d}" for i in range(SCHOOLS)])[np.arange(pupils) % SCHOOLS]
    header = ["логин школы", "регион", "номер обучающегося", "код обучающегося", "отметка за предыдущую четверть/триместр",
              "пол", "класс", "вариант", "всего баллов"] + [f"балл за {i}" for i in range(1, TASKS + 1)] + ["Учебник"]
    codes = (np.arange(pupils) // SCHOOLS + 10001).astype(str)
    marks = rng.choice(["3", "4", "5", "нет отметки"], pupils)
    sexes = rng.choice(["м", "ж", "М"], pupils)
    classes = rng.choice(["а", "Б", "нет"], pupils)
    variants = np.where(absent, "отсутствовал", rng.choice(["1", "2"], pupils))
    head = np.column_stack([schools, np.full(pupils, "Бенчмарк"), codes, codes, np.where(absent, "", marks),
                            np.where(absent, "", sexes), np.where(absent, "", classes), variants, totals]).astype(object)
    body = np.concatenate([head, text, np.full((pupils, 1), "Учебник", dtype=object)], axis=1)
    return header, body


def xlsx_file(pupils: int) -> bytes:
    from openpyxl import Workbook

    header, body = export_table(pupils)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet")
    sheet.append(header)
    for row in body.tolist():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(pupils: int) -> bytes:
    header, body = export_table(pupils, seed=2)
    lines = [";".join(header)] + [";".join(row) for row in body.tolist()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def clear(procedure) -> None:
    from assessments.models import ResultBatch

    ResultBatch.objects.filter(procedure=procedure).delete()


def timed_import(procedure, name: str, data: bytes):
    from assessments.services import results_import

    started = time.perf_counter()
    report = results_import(actor=None, procedure=procedure, filename=name, data=data, source="bench")
    return time.perf_counter() - started, report


def bare_read(data: bytes) -> float:
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Sheet").to_python()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=30_000)
    parser.add_argument("--csv-pupils", type=int, default=1_000_000)
    parser.add_argument("--skip-csv", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL=postgres://… (the benchmark measures COPY on PostgreSQL).")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.UPLOAD_MAX_MB = 2048
    procedure = setup_world()
    data = xlsx_file(args.pupils)
    print(f"xlsx: {args.pupils} pupils × {TASKS} tasks, {len(data) / 1048576:.1f} MB")
    imports, reads = [], []
    for _ in range(args.repeat):
        clear(procedure)
        seconds, report = timed_import(procedure, "bench.xlsx", data)
        imports.append(seconds)
        reads.append(bare_read(data))
    best, read = min(imports), min(reads)
    print(f"  stored {report.stored} (absent {report.absent}), quarantined {report.quarantined}, schools {report.schools}")
    print(f"  import end to end: {best:.2f} s (target ≤ {TARGET_SECONDS} s: {best / TARGET_SECONDS:.2f} of target)")
    print(f"  bare calamine read: {read:.2f} s; ratio {best / read:.2f}× (target ≤ {TARGET_RATIO}×)")
    seconds, report = timed_import(procedure, "bench.xlsx", data)
    print(f"  re-upload of the same file (new versions + diff against the old ones): {seconds:.2f} s")
    if not args.skip_csv:
        data = csv_file(args.csv_pupils)
        clear(procedure)
        print(f"csv: {args.csv_pupils} pupils × {TASKS} tasks, {len(data) / 1048576:.1f} MB")
        seconds, report = timed_import(procedure, "bench.csv", data)
        print(f"  stored {report.stored}, quarantined {report.quarantined}")
        print(f"  import end to end: {seconds:.1f} s (target ≤ {TARGET_CSV_SECONDS:.0f} s: "
              f"{seconds / TARGET_CSV_SECONDS:.2f} of target)")
    clear(procedure)


if __name__ == "__main__":
    main()
