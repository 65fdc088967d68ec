"""Restore drill for PostgreSQL: dump a database with pg_dump, restore the dump into an empty database and
compare the two table by table through connections of their own.

A table's fingerprint is its row count and the md5 of its rows as text in sorted order, so two databases
agree only if every row of every table is the same; sequences are compared by their last value (a restored
database must not hand out ids it already holds). `database` is a Django-style settings dict (NAME, USER,
PASSWORD, HOST, PORT): the test database's own, or `rsoko.settings.database_from_url(...)`.
Used by tests/test_backup_restore.py and bench/drills/backup.py.
"""
from pathlib import Path
import os
import shutil
import subprocess

import psycopg2
from psycopg2 import sql

TABLES = """SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"""
SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename"


class DrillError(RuntimeError):
    pass


def client_tools_missing() -> str:
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    return ", ".join(missing)


def client_env(database: dict) -> dict:
    return {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}


def client_args(database: dict) -> list[str]:
    args = ["-h", database.get("HOST") or "127.0.0.1", "-U", database.get("USER") or "postgres"]
    return args + (["-p", str(database["PORT"])] if database.get("PORT") else [])


def run(command: list[str], database: dict) -> None:
    result = subprocess.run(command, env=client_env(database), capture_output=True, text=True)
    if result.returncode != 0:
        raise DrillError(f"{command[0]} завершился с кодом {result.returncode}: {result.stderr.strip()[:2000]}")


def dump(database: dict, path: Path) -> int:
    """pg_dump in the custom format (what pg_restore reads); returns the dump's size in bytes."""
    run(["pg_dump", *client_args(database), "-Fc", "-f", str(path), database["NAME"]], database)
    return path.stat().st_size


def connect(database: dict, name: str | None = None):
    return psycopg2.connect(dbname=name or database["NAME"], user=database.get("USER") or "postgres",
                            password=database.get("PASSWORD") or None, host=database.get("HOST") or "127.0.0.1",
                            port=database.get("PORT") or None)


def recreate_empty(database: dict, name: str) -> None:
    """An empty database `name` on the same server (from template0: nothing the dump does not bring)."""
    conn = connect(database, "postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    conn.close()


def drop(database: dict, name: str) -> None:
    conn = connect(database, "postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()


def restore(database: dict, path: Path, into: str) -> None:
    """pg_restore of the dump into a new empty database `into`; any error stops it."""
    recreate_empty(database, into)
    run(["pg_restore", *client_args(database), "--no-owner", "--exit-on-error", "-d", into, str(path)], database)


def fingerprints(database: dict, name: str | None = None) -> dict[str, tuple]:
    """{table: (rows, md5 of the sorted rows)} for every table, and {"sequence:<name>": (last value,)}."""
    conn = connect(database, name)
    try:
        with conn.cursor() as cursor:
            cursor.execute(TABLES)
            tables = [row[0] for row in cursor.fetchall()]
            result = {}
            for table in tables:
                cursor.execute(sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                                       " FROM {} AS t").format(sql.Identifier(table)))
                result[table] = cursor.fetchone()
            cursor.execute(SEQUENCES)
            result.update({f"sequence:{name}": (value,) for name, value in cursor.fetchall()})
    finally:
        conn.close()
    return result


def differences(source: dict, restored: dict) -> list[str]:
    """What differs between two fingerprint maps, in words (empty: the databases are identical)."""
    problems = [f"{key}: нет в восстановленной базе" for key in source.keys() - restored.keys()]
    problems += [f"{key}: лишняя в восстановленной базе" for key in restored.keys() - source.keys()]
    problems += [f"{key}: {source[key]} ≠ {restored[key]}" for key in sorted(source.keys() & restored.keys())
                 if source[key] != restored[key]]
    return problems
