"""Restore drill on a demo-sized database: pg_dump, pg_restore into an empty database, every table compared.

Builds the demo region (20 municipalities, 300 schools, two years of analytics) in a dedicated PostgreSQL
database, dumps it with `pg_dump -Fc`, restores the dump into a new empty database with `pg_restore` and
compares both databases table by table (row count and md5 of the sorted rows) and sequence by sequence
(rsoko.backup_check, the same code as tests/test_backup_restore.py). Prints the dump size, the dump, restore and
comparison times, the tables and rows compared and the result; drops the restored database.

Run: .venv/bin/python bench/drills/backup.py
(DRILL_DATABASE_URL default postgres://postgres@127.0.0.1:5432/rsoko_drill — dropped and rebuilt unless
 DRILL_REUSE=1 finds the demo in it; the restored copy is <name>_restored on the same server)
"""
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: the harness
from harness import ROOT, demo_database  # noqa: E402

sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rsoko_drill")
REUSE = os.environ.get("DRILL_REUSE") == "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")

from rsoko import backup_check  # noqa: E402
from rsoko.settings import database_from_url  # noqa: E402


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main() -> None:
    missing = backup_check.client_tools_missing()
    if missing:
        raise SystemExit(f"Не найдены {missing} (apt-get install postgresql-client)")
    timings = demo_database(DATABASE_URL, reuse=REUSE)
    print(f"База {DATABASE_URL.rsplit('/', 1)[1]}: migrate {timings['migrate']:.1f} с, demo {timings['demo']:.1f} с"
          + (" (уже построена)" if not timings["demo"] else ""))
    database = database_from_url(DATABASE_URL)
    restored_name = f"{database['NAME']}_restored"
    with tempfile.TemporaryDirectory(prefix="rsoko-drill-") as folder:
        path = Path(folder) / "rsoko.dump"
        try:
            size, dump_s = timed(backup_check.dump, database, path)
            _, restore_s = timed(backup_check.restore, database, path, restored_name)
            source, source_s = timed(backup_check.fingerprints, database)
            restored, restored_s = timed(backup_check.fingerprints, database, restored_name)
        finally:
            backup_check.drop(database, restored_name)
    problems = backup_check.differences(source, restored)
    tables = [key for key in source if not key.startswith("sequence:")]
    rows = sum(source[table][0] for table in tables)
    print(f"Дамп (pg_dump -Fc): {size / 1024 / 1024:.1f} МБ за {dump_s:.1f} с; восстановление (pg_restore в пустую базу): "
          f"{restore_s:.1f} с")
    print(f"Сравнено: таблиц {len(tables)} ({rows} строк), последовательностей {len(source) - len(tables)}; "
          f"сравнение {source_s:.1f} + {restored_s:.1f} с")
    for problem in problems[:20]:
        print(f"  расхождение: {problem}")
    print("Результат: базы совпадают строка в строку" if not problems else f"Результат: расхождений {len(problems)}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
