"""Private services for the fault drills: a PostgreSQL cluster, a Redis, Celery, gunicorn — all on loopback,
all started here and all stopped here (process groups), in one temporary directory that is removed at the end.

Nothing touches the machine's own PostgreSQL (5432) or Redis (6379).
"""
import os
from pathlib import Path
import shutil
import signal
import subprocess
import tempfile
import time

import requests

from harness import celery_worker_command, gunicorn_command, stop

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("DRILL_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT, REDIS_PORT, WEB_PORT = 55432, 56379, 58431
DB_NAME = "rsoko_drills"
# Short enough that a job lost with its whole worker comes back within the drill; the task limit stays below it.
VISIBILITY_TIMEOUT, TASK_TIME_LIMIT = 60, 55


def as_postgres(argv: list[str]) -> list[str]:
    """initdb refuses to run as root: run PostgreSQL's tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class Services:
    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="rsoko-drills-"))
        self.tmp.chmod(0o755)  # the postgres user must reach its data directory inside
        self.pg_dir = self.tmp / "pg"
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.pg_started = False
        self.env = os.environ.copy() | {
            "DJANGO_SETTINGS_MODULE": "rsoko.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "MEDIA_ROOT": str(self.tmp / "media"),
            "STATIC_ROOT": str(self.tmp / "static"),
            "DEBUG": "1",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "CELERY_TASK_TIME_LIMIT": str(TASK_TIME_LIMIT),
            "DB_CONN_MAX_AGE": "60",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("CACHE_URL", None)  # the portal's cache stays in memory: Redis going down must not matter there

    # ------------------------------------------------------------------ PostgreSQL

    def start_postgres(self) -> None:
        self.pg_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pg_dir, "postgres", "postgres")
        data = self.pg_dir / "data"
        self.run(as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                              "--locale=C.UTF-8", "--no-sync"]), "initdb")
        self.pg_ctl("start")
        self.pg_started = True
        self.run([str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres",
                  "-qc", f"CREATE DATABASE {DB_NAME}"], "createdb")

    def restart_postgres(self, mode: str = "immediate") -> float:
        """`immediate` is a crash as far as the server is concerned: no checkpoint, recovery from WAL on start."""
        started = time.monotonic()
        self.pg_ctl("restart", "-m", mode)
        return time.monotonic() - started

    def pg_ctl(self, action: str, *extra: str) -> None:
        """The server's output goes to its log file (-l), never to our pipes: a pipe held by the server
        would keep the command waiting for ever."""
        options = f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.pg_dir}"
        self.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_dir / "data"), "-l",
                              str(self.pg_dir / "postgres.log"), "-w", "-t", "60", "-o", options, *extra, action]),
                 f"pg_ctl {action}")

    def stop_postgres(self) -> None:
        if self.pg_started:
            subprocess.run(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pg_dir / "data"), "-m", "immediate",
                                        "-w", "-t", "30", "stop"]), capture_output=True, timeout=60)
            self.pg_started = False

    # ------------------------------------------------------------------ Redis

    def start_redis(self) -> None:
        """No persistence: a restart empties it (the log is appended to, so count its «ready» lines)."""
        ready = "Ready to accept connections"
        before = self.log_text("redis").count(ready)
        self.start("redis", ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(self.tmp)])
        self.wait_for(lambda: self.log_text("redis").count(ready) > before, 20, "redis start")

    def redis(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=REDIS_PORT, db=0, socket_timeout=5)

    # ------------------------------------------------------------------ the project's processes

    def migrate(self) -> None:
        self.run([str(BIN / "python"), "manage.py", "migrate", "--noinput"], "migrate", timeout=300)

    def start_worker(self, name: str) -> subprocess.Popen:
        process = self.start(name, celery_worker_command(concurrency=1, name=f"{name}@drills", loglevel="INFO"))
        self.wait_for(lambda: " ready." in self.log_text(name), 90, f"{name} ready")
        return process

    def start_beat(self, name: str = "beat") -> None:
        """Each beat process keeps its own schedule file, so a beat restarted with other settings starts afresh."""
        self.start(name, [str(BIN / "celery"), "-A", "rsoko", "beat", "--loglevel=INFO",
                          "-s", str(self.tmp / f"{name}-schedule")])

    def stop_workers(self) -> list[str]:
        """A warm shutdown (SIGTERM) of every Celery worker started here; returns their names."""
        names = [name for name in self.processes if name.startswith("worker")]
        for name in names:
            self.kill_group(name, signal.SIGTERM, wait=30)
        return names

    def start_portal(self) -> None:
        self.start("gunicorn", gunicorn_command(WEB_PORT, workers=2))
        self.wait_for(lambda: self.healthz()[0] == 200, 60, "portal /healthz 200")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{WEB_PORT}"

    def healthz(self) -> tuple[int, dict]:
        try:
            answer = requests.get(f"{self.base_url}/healthz", timeout=5)
            return answer.status_code, answer.json()
        except (requests.RequestException, ValueError) as exc:
            return 0, {"error": exc.__class__.__name__}

    # ------------------------------------------------------------------ processes and groups

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        self.logs[name] = log
        with open(log, "ab") as out:
            process = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes[name] = process
        return process

    def kill_group(self, name: str, sig=signal.SIGKILL, wait: float = 15) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            stop(process, sig, timeout=wait)

    def child_pids(self, name: str) -> list[int]:
        parent = self.processes[name].pid
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                children.append(int(stat.parent.name))
        return children

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill_group(name, signal.SIGTERM, wait=10)
        self.stop_postgres()

    def remove(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ helpers

    def run(self, argv: list[str], what: str, timeout: float = 120) -> None:
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr[-2000:] or done.stdout[-2000:]}")

    def log_text(self, name: str) -> str:
        try:
            return self.logs[name].read_text(errors="replace")
        except (KeyError, OSError):
            return ""

    @staticmethod
    def wait_for(condition, seconds: float, what: str, every: float = 0.2) -> float:
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            if condition():
                return time.monotonic() - started
            time.sleep(every)
        raise TimeoutError(f"{what}: not reached in {seconds} s")
