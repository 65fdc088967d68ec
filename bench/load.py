"""Bench: 20 users at once — dashboards, API pulls and result uploads — against gunicorn and a real Celery worker
on PostgreSQL (plain script).

Prepares a dedicated PostgreSQL database (dropped and created fresh, `migrate`, `demo`: 20 municipalities, 300
schools, two years of ВПР analytics), starts gunicorn (DEBUG=0, loopback) and a Celery worker (Redis db 10), then
runs for LOAD_SECONDS a closed loop of LOAD_USERS users:
- pages: signed-in ministry and coordinator users open the monitoring dashboard, the analytics pages (procedure
  list, procedure analytics for the region, a municipality and a school, ШНОР) and the objectivity list;
- api: API clients pull /api/v1/indicator-values/ (the API client's token) and /api/v1/statistics/ (an ИРО
  methodologist's token: statistics need the results capability);
- upload: a coordinator posts a small ФИС ОКО electronic protocol (one school of the municipality) through the
  web form /results/upload/ and follows its job (kind status: the job page's poll) until the import is done.
Each user waits a random think time (0…2×LOAD_THINK s) between requests. After the clock stops, every import job
and the analytics recompute it scheduled must finish (within LOAD_JOBS_WAIT s).
Prints requests/s, p50/p95 per kind and overall, errors, the jobs' outcome and the ratio to the targets
(p95 ≤ 500 ms, 0 errors, all jobs done); stops everything it started.

Run: .venv/bin/python bench/load.py
(LOAD_DATABASE_URL default postgres://postgres@127.0.0.1:5432/rsoko_load — dropped and rebuilt unless LOAD_REUSE=1;
 LOAD_REDIS_URL default redis://127.0.0.1:6379/10 — flushed; options: LOAD_SECONDS=60 LOAD_USERS=20 LOAD_THINK=0.5
 LOAD_WORKERS=3 LOAD_THREADS=4 LOAD_CELERY_CONCURRENCY=2 LOAD_UPLOADERS=2 LOAD_UPLOAD_PAUSE=15 LOAD_API_USERS=8)
"""
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from harness import (ROOT, demo_database, free_port, latency_summary, manage, production_env, start_celery_worker,
                     start_gunicorn, stop)

sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rsoko_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/10")
REUSE = os.environ.get("LOAD_REUSE") == "1"
SECONDS = float(os.environ.get("LOAD_SECONDS", 60))
USERS = int(os.environ.get("LOAD_USERS", 20))
THINK = float(os.environ.get("LOAD_THINK", 0.5))
WORKERS = int(os.environ.get("LOAD_WORKERS", 3))
THREADS = int(os.environ.get("LOAD_THREADS", 4))
CELERY_CONCURRENCY = int(os.environ.get("LOAD_CELERY_CONCURRENCY", 2))
UPLOADERS = int(os.environ.get("LOAD_UPLOADERS", 2))
API_USERS = int(os.environ.get("LOAD_API_USERS", 8))
UPLOAD_PAUSE = float(os.environ.get("LOAD_UPLOAD_PAUSE", 15))
JOBS_WAIT = float(os.environ.get("LOAD_JOBS_WAIT", 300))
MAX_REQUESTS_PER_USER = 5000  # a bound on every loop besides the clock
TARGET_P95_MS = 500.0
PASSWORDS = {name: f"{name}-demo-2026" for name in ("ministry", "coordinator")}
KINDS = ("pages", "api", "upload", "status")

# Preparing runs in this process without a broker (the demo computes in place); servers get theirs.
for name in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL"):
    os.environ.pop(name, None)
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")


def prepare(static_root: str) -> dict:
    """A fresh database with the demo region (unless LOAD_REUSE=1 finds one), static files, what the users need."""
    timings = demo_database(DATABASE_URL, reuse=REUSE)
    manage("collectstatic", "--noinput", env=production_env(DATABASE_URL, STATIC_ROOT=static_root))
    print(f"Подготовка: migrate {timings['migrate']:.1f} с, demo {timings['demo']:.1f} с"
          + (" (база уже готова)" if not timings["demo"] else ""))
    return scenario_data()


def scenario_data() -> dict:
    """Everything the users request: procedures with results, the coordinator's schools, API tokens."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from rsoko.orgs.services import api_token_issue

    from assessments.models import ParticipantResult, Procedure
    from monitoring.models import Indicator
    from rsoko.orgs.models import Organization

    users = get_user_model().objects
    office = users.get(username="coordinator").memberships.get(role="municipal_coordinator").organization
    schools = list(Organization.objects.filter(municipality=office.municipality, kind="school").order_by("code"))
    with_results = Procedure.objects.filter(pk__in=ParticipantResult.objects.values("procedure")).order_by("code")
    year = with_results.aggregate(Max("year"))["year__max"]
    upload_procedures = [{"pk": p.pk, "code": p.code, "tasks": list(p.tasks.order_by("position").values_list(
        "label", "max_score"))} for p in with_results.filter(year=year, kind__slug="VPR")]
    return {
        "procedures": list(with_results.values_list("code", flat=True)),
        "upload_procedures": upload_procedures,
        "municipality": office.municipality_id,
        "schools": [{"pk": s.pk, "code": s.code, "name": s.short_name} for s in schools],
        "other_municipalities": list(Organization.objects.filter(kind="mouo").exclude(pk=office.pk)
                                     .values_list("municipality_id", flat=True)),
        "indicators": list(Indicator.objects.values_list("code", flat=True)),
        "tokens": {name: api_token_issue(actor=None, user=users.get(username=name))
                   for name in ("apiclient", "methodologist")},
        "year": year,
    }


def protocol_xlsx(procedure: dict, school: dict, pupils: int, rng: random.Random) -> bytes:
    """A ФИС ОКО electronic protocol of one school: sheet «Протокол», task columns «<label> (<max>б)»."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Протокол"
    tasks = procedure["tasks"]
    sheet.append(["Пользователь", "Код региона", "Регион", "Муниципалитет", "Школа", "Дата загрузки", "Код", "Вариант",
                  *[f"{label} ({maximum}б)" for label, maximum in tasks], "Наименование класса", "Пол",
                  "Отметка за предыдущий триместр/ четверть/полугодие", "Итого баллов"])
    for number in range(pupils):
        scores = [rng.randint(0, maximum) for _, maximum in tasks]
        sheet.append([school["code"], "99", "Демонстрационная область", "Район", f"{school['code']} | {school['name']}",
                      "15.04.2026", f"{70000 + number}", str(1 + number % 2), *[str(s) for s in scores],
                      f"{number % 3 + 1}а", "м" if number % 2 else "ж", str(rng.randint(3, 5)), str(sum(scores))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Tally:
    """Latencies and errors of every request, by kind; one lock for all users."""

    latencies: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})
    errors: dict = field(default_factory=lambda: {kind: 0 for kind in KINDS})
    by_address: dict = field(default_factory=dict)
    samples: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, address: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.by_address.setdefault(re.sub(r"/\d+/", "/<id>/", address), []).append(seconds)
            if error:
                self.errors[kind] += 1
                if len(self.samples) < 10:
                    self.samples.append(error)


class Browser:
    """One user's keep-alive connection with its cookies (session, CSRF); API calls carry their token."""

    def __init__(self, port: int, tally: Tally):
        self.port, self.tally = port, tally
        self.cookies: dict[str, str] = {}
        self.conn, self.reused = self.connect(), False

    def connect(self) -> http.client.HTTPConnection:
        self.reused = False
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                token: str | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if token:
            headers["Authorization"] = f"Token {token}"
        try:
            response, content = self.exchange(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection as the request went out: a browser sends a GET
            # again on a new connection, and so does this user (never a POST).
            if not (self.reused and method == "GET"):
                raise
            self.conn.close()
            self.conn = self.connect()
            response, content = self.exchange(method, path, body, headers)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = self.connect()
        return response.status, response, content

    def exchange(self, method, path, body, headers):
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        self.reused = True
        return response, content

    def timed(self, kind: str, method: str, path: str, expect: int, **kwargs):
        start = time.perf_counter()
        try:
            status, response, content = self.request(method, path, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            self.tally.add(kind, f"{method} {path}", time.perf_counter() - start, f"{method} {path}: {error!r}")
            return None, b""
        error = None if status == expect else f"{method} {path}: {status}, ожидался {expect}"
        self.tally.add(kind, f"{method} {path}", time.perf_counter() - start, error)
        return (response if error is None else None), content

    def sign_in(self, username: str) -> None:
        _, _, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = f"username={username}&password={PASSWORDS[username]}&csrfmiddlewaretoken={token}".encode()
        status, _, _ = self.request("POST", "/accounts/login/", body=body,
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"вход {username} не удался: {status}")


def page_calls(info: dict, username: str) -> list[tuple[str, None]]:
    """What a signed-in user opens: the dashboard, analytics and the objectivity list (own scope for a coordinator)."""
    procedures = info["procedures"]
    school = info["schools"][0]["pk"]
    paths = ["/monitoring/", "/analytics/", "/analytics/objectivity/", "/analytics/shnor/",
             f"/analytics/objectivity/?year={info['year']}"]
    paths += [f"/analytics/procedures/{code}/" for code in procedures]
    paths += [f"/analytics/procedures/{code}/?school={school}" for code in procedures[:3]]
    if username == "ministry":
        paths += [f"/analytics/procedures/{code}/?municipality={info['municipality']}" for code in procedures[:3]]
        paths += [f"/analytics/procedures/{code}/?municipality={m}" for code, m in
                  zip(procedures, info["other_municipalities"][:4])]
        paths += [f"/monitoring/?period={info['year'] - 1}"]
        paths += [f"/monitoring/indicators/{code}/" for code in info["indicators"][:4]]
    return [(path, None) for path in paths]


def api_calls(info: dict) -> list[tuple[str, str]]:
    """External clients' pulls, each with its token: indicator values (the API client's role) and procedure
    statistics (an ИРО analyst's token: statistics need the results capability), filtered and paged."""
    year, indicators, analyst = info["year"], info["tokens"]["apiclient"], info["tokens"]["methodologist"]
    calls = [(f"/api/v1/indicator-values/?indicator={code}&period={year}", indicators) for code in info["indicators"][:10]]
    calls += [(f"/api/v1/indicator-values/?level=municipality&period={year}", indicators),
              ("/api/v1/indicator-values/?page=2", indicators)]
    for code in info["procedures"]:
        calls += [(f"/api/v1/statistics/?procedure={code}&level=municipality", analyst),
                  (f"/api/v1/statistics/?procedure={code}&level=region", analyst)]
    calls += [("/api/v1/statistics/?page=3", analyst),
              (f"/api/v1/statistics/?school_code={info['schools'][1]['code']}", analyst)]
    return calls


def think(rng: random.Random, stop_at: float) -> None:
    time.sleep(max(0.0, min(rng.uniform(0, 2 * THINK), stop_at - time.perf_counter())))


def browse(browser: Browser, calls: list[tuple[str, str | None]], kind: str, seed: int, stop_at: float) -> None:
    """GET a random call of the list (path, API token or None), think, again — until the clock stops."""
    rng = random.Random(seed)
    headers = {"Accept": "application/json"} if kind == "api" else None
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.perf_counter() >= stop_at:
            return
        path, token = rng.choice(calls)
        browser.timed(kind, "GET", path, 200, headers=headers, token=token)
        think(rng, stop_at)


def multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
                 + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload_once(browser: Browser, info: dict, rng: random.Random, stop_at: float) -> None:
    """The web form: GET it (a page), POST the protocol (an upload), follow the job page's poll until it ends."""
    procedure = rng.choice(info["upload_procedures"])
    school = rng.choice(info["schools"])
    response, page = browser.timed("pages", "GET", f"/results/upload/?procedure={procedure['pk']}", 200)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        return
    content = protocol_xlsx(procedure, school, 25, rng)
    browser.conn.close()  # the upload goes out on a new connection, never on one the server may be closing
    browser.conn = browser.connect()
    body, content_type = multipart({"csrfmiddlewaretoken": match.group(1).decode(), "procedure": procedure["pk"],
                                    "mode": "strict"}, f"protocol-{school['code']}.xlsx", content)
    response, _ = browser.timed("upload", "POST", "/results/upload/", 302, body=body,
                                headers={"Content-Type": content_type})
    if response is None:
        return
    job_id = int(re.search(r"/jobs/(\d+)/", response.getheader("Location")).group(1))
    with browser.tally.lock:
        browser.tally.jobs.append(job_id)
    for _ in range(600):  # the page polls every second or two; bounded as every loop here
        response, content = browser.timed("status", "GET", f"/jobs/{job_id}/status/", 200)
        if response is None or json.loads(content).get("finished") or time.perf_counter() >= stop_at:
            return
        time.sleep(1.0)


def uploader(browser: Browser, info: dict, seed: int, stop_at: float) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 3))  # the two coordinators do not start in the same second
    for _ in range(MAX_REQUESTS_PER_USER):
        if time.perf_counter() >= stop_at:
            return
        upload_once(browser, info, rng, stop_at)
        time.sleep(max(0.0, min(rng.uniform(0.5, 1.5) * UPLOAD_PAUSE, stop_at - time.perf_counter())))


def signed_in_users(port: int, info: dict, tally: Tally) -> list[tuple]:
    """LOAD_UPLOADERS coordinators uploading, LOAD_API_USERS API clients, the rest browsing pages; each as
    (loop, its arguments but the stop time), signed in before the clock starts."""
    users = []
    for number in range(USERS):
        if number < UPLOADERS:
            browser = Browser(port, tally)
            browser.sign_in("coordinator")
            users.append((uploader, (browser, info, number)))
        elif number < UPLOADERS + API_USERS:
            users.append((browse, (Browser(port, tally), api_calls(info), "api", number)))
        else:
            username = "ministry" if number % 2 else "coordinator"
            browser = Browser(port, tally)
            browser.sign_in(username)
            users.append((browse, (browser, page_calls(info, username), "pages", number)))
    return users


def run_mix(port: int, info: dict, seconds: float) -> Tally:
    tally = Tally()
    users = signed_in_users(port, info, tally)
    stop_at = time.perf_counter() + seconds
    threads = [threading.Thread(target=loop, args=(*args, stop_at), daemon=True) for loop, args in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)  # a request times out after 30 s
    return tally


def wait_for_jobs(job_ids: list[int]) -> dict:
    """The uploads' import jobs and the recomputes they scheduled, until all end or LOAD_JOBS_WAIT passes."""
    from rsoko.jobs.models import Job

    start = time.perf_counter()
    deadline = start + JOBS_WAIT
    while True:
        imports = Job.objects.filter(pk__in=job_ids)
        first = min(job_ids, default=0)
        recomputes = Job.objects.filter(kind="analytics_recompute", pk__gt=first) if job_ids else Job.objects.none()
        pending = [job for job in [*imports, *recomputes] if not job.is_finished]
        if not pending or time.perf_counter() > deadline:
            break
        time.sleep(1)
    return {"imports": list(imports.values_list("status", flat=True)),
            "recomputes": list(recomputes.values_list("status", flat=True)),
            "errors": [job.error[:200] for job in [*imports, *recomputes] if job.status == "failed"],
            "pending": len(pending), "wait_s": time.perf_counter() - start}


def report(tally: Tally, seconds: float, jobs: dict) -> bool:
    everything = [value for kind in KINDS for value in tally.latencies[kind]]
    errors = sum(tally.errors.values())
    for kind in (*KINDS, "overall"):
        values = everything if kind == "overall" else tally.latencies[kind]
        figures = latency_summary(values)
        kind_errors = errors if kind == "overall" else tally.errors[kind]
        print(f"  {kind:8} {figures['count']:6} запросов  {figures['count'] / seconds:6.1f} запросов/с  "
              f"p50 {figures['p50']:6.1f} мс  p95 {figures['p95']:6.1f} мс  max {figures['max']:6.0f} мс  "
              f"ошибок {kind_errors}")
    for sample in tally.samples:
        print(f"    ошибка: {sample}")
    slowest = sorted(tally.by_address.items(), key=lambda item: -latency_summary(item[1])["p95"])[:6]
    print("  медленнее всего (p95):", *[f"{latency_summary(values)['p95']:6.0f} мс  ×{len(values):<4} {address}"
                                         for address, values in slowest], sep="\n    ")
    overall = latency_summary(everything)
    done = [status == "done" for status in jobs["imports"] + jobs["recomputes"]]
    print(f"Задания: загрузок {len(jobs['imports'])} (готово {jobs['imports'].count('done')}), пересчётов "
          f"{len(jobs['recomputes'])} (готово {jobs['recomputes'].count('done')}), не завершено {jobs['pending']}; "
          f"ожидание после нагрузки {jobs['wait_s']:.1f} с")
    for error in jobs["errors"]:
        print(f"    задание с ошибкой: {error}")
    print(f"p95 {overall['p95']:.1f} мс (цель ≤ {TARGET_P95_MS:.0f} мс, доля от цели "
          f"{overall['p95'] / TARGET_P95_MS:.2f}); ошибок {errors} (цель 0); задания завершены: "
          f"{'все' if all(done) and jobs['imports'] else 'НЕ все'}")
    ok = overall["p95"] <= TARGET_P95_MS and errors == 0 and all(done) and bool(jobs["imports"])
    print("Цели достигнуты" if ok else "Цели НЕ достигнуты")
    return ok


def hard_limit(signum, frame):
    raise SystemExit("превышен предельный срок бенчмарка")


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def main() -> None:
    signal.signal(signal.SIGALRM, hard_limit)
    signal.alarm(int(SECONDS + JOBS_WAIT + 900))  # preparing, the run and the jobs' wait, whatever happens
    workdir = Path(tempfile.mkdtemp(prefix="rsoko-load-"))  # static files, uploaded files, the worker's log
    info = prepare(str(workdir / "static"))
    flush_redis()
    env = production_env(DATABASE_URL, REDIS_URL=REDIS_URL, CACHE_URL=REDIS_URL, STATIC_ROOT=str(workdir / "static"),
                         MEDIA_ROOT=str(workdir / "media"))
    port = free_port()
    worker = start_celery_worker(env, concurrency=CELERY_CONCURRENCY, log=workdir / "worker.log")
    server = None
    try:
        server = start_gunicorn(port, env, workers=WORKERS, threads=THREADS, log=workdir / "gunicorn.log")
        print(f"Нагрузка: {USERS} пользователей ({UPLOADERS} загружают, {API_USERS} API, остальные страницы), "
              f"{SECONDS:.0f} с, пауза {THINK:.1f} с в среднем; gunicorn {WORKERS}×{THREADS}, Celery {CELERY_CONCURRENCY}")
        tally = run_mix(port, info, SECONDS)
        jobs = wait_for_jobs(tally.jobs)
        ok = report(tally, SECONDS, jobs)
        if not ok:
            for name in ("gunicorn.log", "worker.log"):  # the servers' own words before the folder goes
                lines = (workdir / name).read_text(errors="replace").splitlines()
                print(f"--- {name}, последние строки:", *lines[-8:], sep="\n  ")
    finally:
        if server is not None:
            stop(server)
        stop(worker)
        signal.alarm(0)
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
