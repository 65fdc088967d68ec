"""Pieces the server benches share: a database to run against, gunicorn (and a Celery worker) on loopback,
latency percentiles.

The benches are plain scripts (`python bench/<name>.py`); they import this module as `harness`, since the
script's own folder is first on sys.path.
"""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def admin_connection(url: str):
    """A connection to the server's `postgres` database, to create or drop the bench's own."""
    import psycopg2

    conn = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    return conn


def create_database(url: str, *, fresh: bool = False) -> None:
    """The database of `url`; `fresh` drops it first (the bench then builds everything itself)."""
    name = database_name(url)
    conn = admin_connection(url)
    with conn.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def drop_database(url: str) -> None:
    conn = admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    conn.close()


def manage(*args: str, env: dict) -> float:
    """A management command in a child process (output hidden); returns its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def demo_database(url: str, *, reuse: bool) -> dict:
    """The demo region (`migrate` + `demo`) in the database of `url`, dropped and built afresh unless `reuse`
    finds it already built. Returns the wall times in seconds (demo 0.0 when reused)."""
    create_database(url, fresh=not reuse)
    env = {**os.environ, "DATABASE_URL": url}
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL"):  # the demo computes in place, no broker
        env.pop(name, None)
    timings = {"migrate": manage("migrate", "--noinput", env=env)}
    timings["demo"] = 0.0 if reuse and demo_present(url) else manage("demo", env=env)
    return timings


def demo_present(url: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM assessments_participantresult)")
            return cursor.fetchone()[0]
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, **extra: str) -> dict:
    """The environment of a DEBUG=0 server on plain-HTTP loopback (no TLS proxy in front of it)."""
    return {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 60,
            "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING", **extra}


def healthy(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False


def gunicorn_command(port: int, *, workers: int, threads: int = 1) -> list[str]:
    """gunicorn serving the portal on loopback with gthread workers (the production server's worker class)."""
    return [sys.executable, "-m", "gunicorn", "rsoko.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
            str(workers), "--worker-class", "gthread", "--threads", str(threads), "--timeout", "120",
            "--graceful-timeout", "5", "--log-level", "warning"]


def celery_worker_command(*, concurrency: int, name: str | None = None, loglevel: str = "WARNING") -> list[str]:
    command = [sys.executable, "-m", "celery", "-A", "rsoko", "worker", f"--loglevel={loglevel}",
               f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"]
    return command + (["-n", name] if name else [])


def start_gunicorn(port: int, env: dict, *, workers: int, threads: int, log: Path | None = None) -> subprocess.Popen:
    """gunicorn in its own process group; returns once /healthz answers 200.
    Its output goes to `log` when given (else to the bench's own)."""
    output = open(log, "ab") if log else None
    server = subprocess.Popen(gunicorn_command(port, workers=workers, threads=threads), cwd=ROOT, env=env,
                              start_new_session=True, stdout=output, stderr=output)
    for _ in range(300):  # the master listens at once; wait until workers answer
        if healthy(port):
            return server
        if server.poll() is not None:
            break
        time.sleep(0.2)
    stop(server)
    raise SystemExit("gunicorn did not start")


def start_celery_worker(env: dict, *, concurrency: int, log: Path) -> subprocess.Popen:
    output = open(log, "ab")
    return subprocess.Popen(celery_worker_command(concurrency=concurrency), cwd=ROOT, env=env,
                            start_new_session=True, stdout=output, stderr=output)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
    """`sig` to the process group started here (gunicorn or Celery and their children), SIGKILL if it outlives
    `timeout`; then whatever is left of the group (pool children outlive a killed parent for a moment)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
        except ProcessLookupError:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not ordered:
        return 0.0
    return ordered[int(share * (len(ordered) - 1))]


def latency_summary(latencies: list[float]) -> dict:
    """Count, p50, p95 and max in milliseconds."""
    ordered = sorted(latencies)
    return {"count": len(ordered), "p50": percentile(ordered, 0.5) * 1000, "p95": percentile(ordered, 0.95) * 1000,
            "max": (ordered[-1] * 1000) if ordered else 0.0}
