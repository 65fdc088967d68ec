"""Fault injection drills: a Celery worker killed or frozen mid-job, PostgreSQL restarted under uploads, Redis down or
restarted empty, the quarterly set ordered twice and cut short; the job watchdog and the attempts' fencing.

    .venv/bin/python bench/drills/faults.py [--pupils 60000] [--small-pupils 10000] [--max-seconds 1200] [--keep]

Everything runs against private services started here (bench/drills/services.py): PostgreSQL on 127.0.0.1:55432,
Redis on 127.0.0.1:56379, gunicorn on 127.0.0.1:58431, a real `celery -A rsoko worker` and `celery beat`.
They are stopped and the temporary directory removed at the end, whatever happens; the whole run is bounded
by --max-seconds. Each figure is printed with PASS or FAIL; the exit code is 1 when anything failed.

Drills:
1. SIGKILL of the worker's pool process in the middle of a big upload (while the results are being written)
   and of the whole worker (main process and pool) in the middle of another one, then a new worker; the same
   for a quarterly report. Each job must finish exactly once (or fail with a reason), and the stored data must
   equal a clean run: participant rows and their checksum, one active version per school, one batch, one
   recomputation, the same statistics; the archive gets exactly one new report version.
2. PostgreSQL restarted (immediate mode: a crash for the server) while several uploads are in flight: each upload
   is complete or absent, no job is left hanging, and the portal's /healthz answers 200 again within 30 s.
3. Redis down while uploads are submitted: the API answers 202 and the jobs wait as queued; when Redis is back
   they are run.
4. The quarterly set (the region and each of 4 municipalities) ordered twice, as two beat firings: one job; its
   worker's pool process killed after the first report was stored: the job resumes, every organization ends with
   exactly one report from it.
Drills 5 and 6 restart the portal, beat and the workers with the watchdog every 10 s and its thresholds at 1 minute
(WATCHDOG_ENV):
5. An upload handed to Redis while no worker runs; Redis restarted without persistence (the message is lost); a new
   worker: the watchdog hands the job over again and it runs, equal to a clean upload.
6. The worker's pool process frozen (SIGSTOP) mid-upload, a second worker started: the watchdog re-queues the
   silent job and the second worker completes it; the frozen one, woken (SIGCONT), is fenced and stores nothing.
"""
import argparse
import hashlib
import json
import os
from pathlib import Path
import re
import signal
import sys
import time
import traceback

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/: the results generator
sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import TASK_TIME_LIMIT, VISIBILITY_TIMEOUT, Services  # noqa: E402

HEALTH_TARGET_SECONDS = 30
MUNICIPALITIES = 4  # the quarterly set: the region and each municipality, 5 reports
SET_QUARTER = "2021Q2"
# Drills 5 and 6 run the watchdog every 10 s with the shortest thresholds (1 minute). Production's order of the
# limits is kept: the watchdog's 15–20 min < the task limit's 30 min < the visibility timeout's 60 min; here
# 60–70 s < 240 s < 300 s, so a frozen attempt is taken over by the watchdog, not killed by the time limit.
WATCHDOG_ENV = {"JOB_WATCHDOG_SECONDS": "10", "JOB_QUEUED_STALE_MINUTES": "1", "JOB_RUNNING_STALE_MINUTES": "1",
                "CELERY_VISIBILITY_TIMEOUT": "300", "CELERY_TASK_TIME_LIMIT": "240"}
WRITE_STAGE, CHECK_STAGE = "Запись результатов", "Проверка строк"
REPORT_STAGE = "Сбор данных и построение графиков"


class Checks:
    def __init__(self):
        self.items: list[tuple[bool, str, str]] = []

    def check(self, ok: bool, name: str, figure="") -> bool:
        self.items.append((bool(ok), name, str(figure)))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {figure}", flush=True)
        return bool(ok)

    def note(self, text: str) -> None:
        print(f"      {text}", flush=True)

    @property
    def failed(self) -> list:
        return [item for item in self.items if not item[0]]

    def summary(self) -> str:
        lines = [f"\n=== Fault drills: {len(self.items) - len(self.failed)} passed, {len(self.failed)} failed ==="]
        lines += [f"FAIL  {name}: {figure}" for _, name, figure in self.failed]
        return "\n".join(lines)


# ---------------------------------------------------------------------- the world and the data

def django_setup(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def setup_world(codes: list[str]):
    """400 schools (the bench generator's codes), one procedure per drill, a ministry and an operator with a token.

    The first procedure is in 2021: the quarterly report of 2021Q2 is rendered from it."""
    from assessments.models import Procedure
    from import_results import setup_world as bench_world
    from rsoko.orgs.services import api_token_issue

    from rsoko.orgs.choices import OrgKind, Role
    from rsoko.orgs.models import Membership, Organization
    from django.contrib.auth import get_user_model

    template = bench_world()  # schools sch980000…, procedure BENCH-VPR-MA-6 (2021) with 20 tasks
    spread_over_municipalities(MUNICIPALITIES)
    # A year each: a recomputation covers its procedure's year, so each stays as small as a clean run's.
    for year, code in enumerate(codes, start=template.year):
        procedure = Procedure.objects.create(code=code, kind=template.kind, year=year, subject=template.subject,
                                             grade=template.grade, max_score=template.max_score)
        procedure.tasks.model.objects.bulk_create([type(t)(procedure=procedure, position=t.position, label=t.label,
                                             max_score=t.max_score) for t in template.tasks.all()])
    Organization.objects.create(kind=OrgKind.MINISTRY, code="MIN-99", short_name="Министерство (учения)")
    centre = Organization.objects.create(kind=OrgKind.ASSESSMENT_CENTRE, code="RCOKO-99", short_name="РЦОКО (учения)")
    user = get_user_model().objects.create_user("drill_operator", password="drill-operator-password-2026")
    Membership.objects.create(user=user, organization=centre, role=Role.CENTRE_OPERATOR)
    return user, api_token_issue(actor=None, user=user)


def spread_over_municipalities(count: int) -> None:
    """The bench's 400 schools dealt out to `count` municipalities, each with its education office: the quarterly
    set renders the region's report and one per municipality."""
    from rsoko.orgs.choices import OrgKind
    from rsoko.orgs.models import Municipality, Organization

    first = Municipality.objects.get(code="bench_m001")
    municipalities = [first] + [Municipality.objects.create(region=first.region, code=f"drill_m{n:03d}",
                                                            name=f"Учебный район {n}") for n in range(2, count + 1)]
    schools = list(Organization.objects.filter(code__startswith="sch98").order_by("code").values_list("id", flat=True))
    for index, municipality in enumerate(municipalities):
        Organization.objects.filter(id__in=schools[index::count]).update(municipality=municipality)
        Organization.objects.create(kind=OrgKind.MUNICIPAL_OFFICE, code=f"MOUO-{municipality.code}",
                                    short_name=f"Управление образования ({municipality.name})",
                                    municipality=municipality)


def regional_export(pupils: int, seed: int) -> bytes:
    from import_results import export_table

    header, body = export_table(pupils, seed=seed)
    lines = [";".join(header)] + [";".join(row) for row in body.tolist()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def fingerprint(code: str) -> dict:
    """What a clean run and a run with a fault must share, for one procedure."""
    from django.db.models import Count, Q

    from assessments.models import ParticipantResult, Procedure, ResultBatch, ResultVersion
    from assessments.stats.models import Deficit, ObjectivitySign, RiskPupil, StatisticRow
    from rsoko.jobs.models import Job

    procedure = Procedure.objects.get(code=code)
    fields = ["school__code", "participant_code", "class_name", "sex", "journal_mark", "variant", "status",
              "primary_score", "mark", "test_score", "passed", "task_scores", "not_attempted"]
    active = ParticipantResult.objects.filter(procedure=procedure, version__is_active=True)
    rows = sorted(json.dumps(list(r), ensure_ascii=False) for r in active.values_list(*fields))
    per_school = list(ResultVersion.objects.filter(procedure=procedure).values("school_id")
                      .annotate(total=Count("id"), active=Count("id", filter=Q(is_active=True))))
    statistics = sorted(json.dumps([s.form, s.level, s.municipality_id, s.school_id, s.class_name, s.participants,
                                    s.data], sort_keys=True, ensure_ascii=False)
                        for s in StatisticRow.objects.filter(procedure=procedure))
    return {
        "batches": ResultBatch.objects.filter(procedure=procedure).count(),
        "participant_rows": ParticipantResult.objects.filter(procedure=procedure).count(),
        "active_rows": len(rows),
        "rows_md5": hashlib.md5("\n".join(rows).encode()).hexdigest(),
        "schools": len(per_school),
        "versions_per_school": sorted({s["total"] for s in per_school}),
        "active_versions_per_school": sorted({s["active"] for s in per_school}),
        "statistic_rows": len(statistics),
        "statistics_md5": hashlib.md5("\n".join(statistics).encode()).hexdigest(),
        "signs": ObjectivitySign.objects.filter(procedure=procedure).count(),
        "risk_pupils": RiskPupil.objects.filter(procedure=procedure).count(),
        "deficits": Deficit.objects.filter(procedure=procedure).count(),
        "recompute_jobs": Job.objects.filter(kind="analytics_recompute", params__procedure_ids=[procedure.id]).count(),
    }


# ---------------------------------------------------------------------- jobs

def db_retrying(read, seconds: float = 60):
    """The drill's own connection breaks when PostgreSQL restarts: reconnect and read again."""
    from django.db import DatabaseError, connection

    deadline = time.monotonic() + seconds
    while True:
        try:
            return read()
        except DatabaseError:
            connection.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def job_row(job_id: int) -> dict:
    from rsoko.jobs.models import Job

    return db_retrying(lambda: Job.objects.filter(id=job_id).values(
        "status", "stage", "percent", "attempts", "error", "result", "created_at", "enqueued_at", "started_at",
        "heartbeat_at", "finished_at", "params").get())


def wait_finished(job_id: int, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = job_row(job_id)
        if row["status"] in ("done", "failed"):
            return row
        time.sleep(0.2)
    return job_row(job_id)


def wait_all(job_ids: list[int], seconds: float) -> list[dict]:
    """The jobs' rows once all have finished, or as they are when the time is up."""
    deadline = time.monotonic() + seconds
    return [wait_finished(job_id, max(0.0, deadline - time.monotonic())) for job_id in job_ids]


def wait_stage(job_id: int, stages: set[str], seconds: float = 120) -> dict | None:
    """The job's row as soon as it is running in one of the stages; None when it finished first."""
    return wait_running(job_id, lambda row: row["stage"] in stages, seconds)


def wait_running(job_id: int, where, seconds: float = 120) -> dict | None:
    """The job's row as soon as it is running and `where(row)` holds; None when it finished first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = job_row(job_id)
        if row["status"] == "running" and where(row):
            return row
        if row["status"] in ("done", "failed"):
            return None
        time.sleep(0.02)
    return None


def wait_recompute(code: str, seconds: float = 180) -> dict | None:
    from assessments.models import Procedure
    from rsoko.jobs.models import Job

    procedure_id = Procedure.objects.get(code=code).id
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        recomputations = Job.objects.filter(kind="analytics_recompute", params__procedure_ids=[procedure_id])
        job_id = db_retrying(lambda: recomputations.values_list("id", flat=True).first())
        if job_id:
            return wait_finished(job_id, max(1, deadline - time.monotonic()))
        time.sleep(0.3)
    return None


def job_seconds(row: dict) -> float:
    return round((row["finished_at"] - row["started_at"]).total_seconds(), 1) if row["finished_at"] else -1


class Api:
    def __init__(self, base_url: str, token: str):
        import requests

        self.requests, self.base_url = requests, base_url
        self.headers = {"Authorization": f"Token {token}"}

    def upload(self, code: str, data: bytes, name: str = "vygruzka.csv"):
        return self.requests.post(f"{self.base_url}/api/v1/results/uploads/", headers=self.headers, timeout=120,
                                  data={"procedure": code}, files={"file": (name, data, "text/csv")})

    def job(self, job_id: int):
        return self.requests.get(f"{self.base_url}/api/v1/jobs/{job_id}/", headers=self.headers, timeout=30)


def submit(api: Api, code: str, data: bytes) -> int:
    answer = api.upload(code, data)
    if answer.status_code != 202:
        raise RuntimeError(f"upload {code}: HTTP {answer.status_code} {answer.text[:300]}")
    return answer.json()["job"]


# ---------------------------------------------------------------------- drill 1: a worker killed mid-job

def kill_pool_process(services: Services, worker: str) -> list[int]:
    children = services.child_pids(worker)
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    return children


def compare(checks: Checks, label: str, got: dict, clean: dict) -> None:
    differing = {k: (got.get(k), v) for k, v in clean.items() if k != "procedure" and got.get(k) != v}
    checks.check(not differing, f"{label}: stored data equal the clean run",
                 f"rows {got['active_rows']}/{clean['active_rows']}, md5 {got['rows_md5'][:12]}, "
                 f"schools {got['schools']}, active versions per school {got['active_versions_per_school']}, "
                 f"batches {got['batches']}, statistics {got['statistic_rows']} rows md5 {got['statistics_md5'][:12]}, "
                 f"recomputations {got['recompute_jobs']}" + (f"; DIFFERENT: {differing}" if differing else ""))


def finished_once(checks: Checks, label: str, row: dict) -> bool:
    ok = (row["status"] == "done" and row["attempts"] == 2) or (row["status"] == "failed" and row["error"])
    return checks.check(ok, f"{label}: job finished exactly once after the kill",
                        f"status {row['status']}, attempts {row['attempts']}, {job_seconds(row)} s from the last start"
                        + (f", reason: {row['error'][:200]}" if row["error"] else ""))


def drill_clean_upload(checks: Checks, api: Api, code: str, data: bytes) -> dict:
    row = wait_finished(submit(api, code, data), 240)
    checks.check(row["status"] == "done" and row["attempts"] == 1, f"clean upload {code}",
                 f"status {row['status']}, {job_seconds(row)} s, stored {row['result'].get('stored')}")
    recompute = wait_recompute(code)
    checks.note(f"recomputation after {code}: {recompute and recompute['status']}, "
                f"{recompute and job_seconds(recompute)} s")
    return fingerprint(code)


def drill_kill_pool_process(checks: Checks, services: Services, api: Api, code: str, data: bytes, clean: dict):
    job_id = submit(api, code, data)
    seen = wait_stage(job_id, {WRITE_STAGE})
    if not checks.check(seen is not None, "pool process SIGKILL during an upload: caught mid-way",
                        seen and f"stage «{seen['stage']}» {seen['percent']} %"):
        return
    killed = kill_pool_process(services, "worker1")
    checks.note(f"killed pool process(es) {killed} of worker1 at «{seen['stage']}»")
    row = wait_finished(job_id, 240)
    if finished_once(checks, "upload, pool process killed", row) and row["status"] == "done":
        wait_recompute(code)
        compare(checks, "upload, pool process killed", fingerprint(code), clean)


def drill_kill_whole_worker(checks: Checks, services: Services, api: Api, code: str, data: bytes, clean: dict):
    job_id = submit(api, code, data)
    seen = wait_stage(job_id, {CHECK_STAGE, WRITE_STAGE})
    delivered = time.monotonic()
    if not checks.check(seen is not None, "whole worker SIGKILL during an upload: caught mid-way",
                        seen and f"stage «{seen['stage']}» {seen['percent']} %"):
        return
    services.kill_group("worker1", signal.SIGKILL)
    time.sleep(2)
    stuck = job_row(job_id)
    checks.note(f"worker1 (main process and pool) killed at «{seen['stage']}»; the job then: {stuck['status']}")
    # Redis hands an unacknowledged message out again once the visibility timeout has passed since delivery.
    time.sleep(max(0, delivered + VISIBILITY_TIMEOUT + 3 - time.monotonic()))
    restarted = time.monotonic()
    services.start_worker("worker2")
    row = wait_finished(job_id, 240)
    checks.note(f"worker2 started {VISIBILITY_TIMEOUT} s (the drill's visibility timeout) after the delivery; "
                f"job finished {time.monotonic() - restarted:.1f} s after the restart")
    if finished_once(checks, "upload, whole worker killed and restarted", row) and row["status"] == "done":
        wait_recompute(code)
        compare(checks, "upload, whole worker killed", fingerprint(code), clean)
    return "worker2"


def quarterly_job(user) -> int:
    from reports.models import ReportKind
    from reports.periods import Quarter
    from reports.services import report_job_create
    from rsoko.orgs.models import Organization

    ministry = Organization.objects.get(code="MIN-99")
    return report_job_create(user=user, kind=ReportKind.QUARTERLY, organization=ministry,
                             quarter=Quarter.parse("2021Q2")).id


def archive_versions() -> list[tuple[int, list]]:
    from reports.models import ReportArchive

    return list(ReportArchive.objects.filter(organization__code="MIN-99", period="2021Q2")
                .order_by("version").values_list("version", "parameters__figures"))


def drill_report(checks: Checks, services: Services, worker: str, user) -> None:
    clean = wait_finished(quarterly_job(user), 240)
    checks.check(clean["status"] == "done", "clean quarterly report", f"{clean['status']}, {job_seconds(clean)} s "
                 f"{clean['error'][:200]}")
    before = archive_versions()
    job_id = quarterly_job(user)
    seen = wait_stage(job_id, {REPORT_STAGE})
    if not checks.check(seen is not None, "pool process SIGKILL during a quarterly report: caught mid-way",
                        seen and f"stage «{seen['stage']}» {seen['percent']} %"):
        return
    time.sleep(0.3)  # into the rendering itself
    killed = kill_pool_process(services, worker)
    checks.note(f"killed pool process(es) {killed} of {worker} while rendering")
    row = wait_finished(job_id, 240)
    finished_once(checks, "quarterly report, pool process killed", row)
    after = archive_versions()
    new = after[len(before):]
    same_figures = bool(new) and new[-1][1] == before[-1][1]
    checks.check(len(new) == (1 if row["status"] == "done" else 0) and same_figures,
                 "archive: exactly one new report version, same figures as the clean render",
                 f"versions before {[v for v, _ in before]}, after {[v for v, _ in after]}, "
                 f"figures equal: {same_figures}")


# ---------------------------------------------------------------------- drill 2: PostgreSQL restarted

def drill_postgres_restart(checks: Checks, services: Services, api: Api, codes: list[str], data: bytes, clean: dict):
    job_ids = [submit(api, code, data) for code in codes]
    seen = next(filter(None, (wait_stage(job_id, {WRITE_STAGE}) for job_id in job_ids)), None)
    checks.check(seen is not None, "PostgreSQL restarted while an upload was writing its results",
                 f"{len(job_ids)} uploads in flight; one at «{seen and seen['stage']}» {seen and seen['percent']} %")
    started = time.monotonic()
    restart_seconds = services.restart_postgres("immediate")
    health_seconds = services.wait_for(lambda: services.healthz()[0] == 200, 60, "/healthz 200", every=0.1)
    total = restart_seconds + health_seconds
    checks.check(total <= HEALTH_TARGET_SECONDS, "portal /healthz 200 again after PostgreSQL restart",
                 f"{time.monotonic() - started:.1f} s from the restart command (pg_ctl restart "
                 f"{restart_seconds:.1f} s, then {health_seconds:.1f} s), target ≤ {HEALTH_TARGET_SECONDS} s")
    rows = dict(zip(codes, wait_all(job_ids, 240)))
    checks.note(f"all {len(job_ids)} upload jobs ended {time.monotonic() - started:.1f} s after the restart command")
    for code, row in rows.items():
        finished = row["status"] in ("done", "failed")
        reason = f", reason: {row['error'][:160]}" if row["error"] else ""
        checks.check(finished and (row["status"] == "done" or row["error"]), f"{code}: the job ended",
                     f"{row['status']}, attempts {row['attempts']}{reason}")
        if row["status"] == "done":
            wait_recompute(code)
        got = fingerprint(code)
        whole = got["batches"] == 1 and all(got[k] == clean[k] for k in
                                            ("active_rows", "rows_md5", "participant_rows", "schools"))
        absent = got["batches"] == 0 and got["participant_rows"] == 0 and got["schools"] == 0
        checks.check(whole or absent, f"{code}: upload complete or absent",
                     f"{'complete' if whole else 'absent' if absent else 'HALF-WRITTEN'}: batches {got['batches']}, "
                     f"rows {got['participant_rows']} (clean {clean['participant_rows']}), schools {got['schools']}")


# ---------------------------------------------------------------------- drill 3: Redis down

def drill_redis_down(checks: Checks, services: Services, api: Api, codes: list[str], data: bytes, clean: dict):
    services.kill_group("redis", signal.SIGTERM)
    status, body = services.healthz()
    checks.check(status == 503 and body.get("broker", "").startswith("error"), "/healthz reports the broker down",
                 f"HTTP {status} {body}")
    answers = []
    for code in codes:
        started = time.monotonic()
        answer = api.upload(code, data)
        answers.append(answer)
        checks.check(answer.status_code == 202, f"{code}: upload accepted while the broker is down",
                     f"HTTP {answer.status_code} in {time.monotonic() - started:.1f} s: {answer.text[:200]}")
    job_ids = [a.json()["job"] for a in answers if a.status_code == 202]
    time.sleep(5)
    for job_id in job_ids:
        row, shown = job_row(job_id), api.job(job_id).json()
        checks.check(row["status"] == "queued" and shown["status"] == "queued",
                     f"job {job_id} waits as queued while the broker is down",
                     f"row {row['status']} «{row['stage']}», API {shown['status']}")
    services.start_redis()
    back = time.monotonic()
    rows = wait_all(job_ids, 180)
    seconds = time.monotonic() - back
    checks.check(rows and all(r["status"] == "done" for r in rows), "queued uploads run once Redis is back",
                 f"{[r['status'] for r in rows]} within {seconds:.1f} s of the restart")
    for code, row in zip(codes, rows):
        if row["status"] == "done":
            wait_recompute(code)
            got = fingerprint(code)
            compare(checks, f"{code} after the broker outage", got, clean)


# ---------------------------------------------------------------------- drill 4: the quarterly set, worker lost

SET_STAGE = "Отчёт: "


def fire_quarterly_set_twice() -> None:
    """What Celery beat sends for the set, twice (two beat processes, or one restarted around the minute), with the
    beat entry's own options. Beat sends no argument (the quarter just ended); the drill names the quarter with data."""
    from django.conf import settings

    from rsoko.celery import app

    options = settings.CELERY_BEAT_SCHEDULE["reports-quarterly-set"]["options"]
    for _ in range(2):
        app.send_task("reports.quarterly_set", args=[SET_QUARTER], **options)


def set_firings(services: Services, worker: str) -> list[str]:
    """The job ids the worker's `reports.quarterly_set` tasks returned, from its log."""
    return re.findall(r"Task reports\.quarterly_set\[[^\]]+\] succeeded in [\d.]+s: (\d+)",
                      services.log_text(worker))


def set_jobs() -> list[int]:
    from rsoko.jobs.models import Job

    return list(Job.objects.filter(unique_key=f"reports.quarterly_set:{SET_QUARTER}").values_list("id", flat=True))


def set_targets() -> list[str]:
    from reports.services import quarterly_set_targets

    return [organization.code for organization in quarterly_set_targets()]


def quarterly_reports(**filters) -> dict[str, int]:
    """Quarterly reports of the drill's quarter in the archive, counted by organization code."""
    from django.db.models import Count

    from reports.models import ReportArchive, ReportKind

    rows = (ReportArchive.objects.filter(kind=ReportKind.QUARTERLY, period=SET_QUARTER, **filters)
            .values("organization__code").annotate(n=Count("id")))
    return {row["organization__code"]: row["n"] for row in rows}


def fire_and_find_the_set_job(checks: Checks, services: Services, worker: str) -> int | None:
    fired = time.monotonic()
    fire_quarterly_set_twice()
    services.wait_for(lambda: len(set_firings(services, worker)) >= 2, 60, "both quarterly_set tasks run")
    firings, jobs = set_firings(services, worker), set_jobs()
    checks.check(len(firings) == 2 and len(jobs) == 1 and set(firings) == {str(jobs[0])},
                 "quarterly set ordered twice (as two beat firings): one job for the quarter",
                 f"both tasks ran within {time.monotonic() - fired:.1f} s and returned job {firings}; "
                 f"set jobs for {SET_QUARTER}: {jobs}")
    return jobs[0] if len(jobs) == 1 else None


def drill_quarterly_set(checks: Checks, services: Services, worker: str) -> None:
    targets, before = set_targets(), quarterly_reports()
    job_id = fire_and_find_the_set_job(checks, services, worker)
    if job_id is None:
        return
    seen = wait_running(job_id, lambda row: row["stage"].startswith(SET_STAGE) and row["percent"] > 0)
    if not checks.check(seen is not None, "pool process SIGKILL in the middle of the set: caught past the first report",
                        seen and f"stage «{seen['stage']}» {seen['percent']} %, "
                                 f"{(seen['heartbeat_at'] - seen['started_at']).total_seconds():.1f} s into the set"):
        return
    killed = kill_pool_process(services, worker)
    killed_at = time.monotonic()
    checks.note(f"killed pool process(es) {killed} of {worker}; reports of the job then: "
                f"{len(quarterly_reports(job_id=job_id))} of {len(targets)} ({len(targets)} targets: {targets})")
    row = wait_finished(job_id, 240)
    resumed = row["result"].get("resumed", 0)
    checks.check(row["status"] == "done" and row["attempts"] == 2 and 0 < resumed < len(targets),
                 "quarterly set: the job finished once, resuming after the stored reports",
                 f"status {row['status']}, attempts {row['attempts']}, done {time.monotonic() - killed_at:.1f} s after "
                 f"the kill ({job_seconds(row)} s from the second start); «{row['result'].get('summary')}» "
                 f"{row['error']}")
    check_set_archive(checks, job_id, targets, before)


def check_set_archive(checks: Checks, job_id: int, targets: list[str], before: dict[str, int]) -> None:
    by_job = quarterly_reports(job_id=job_id)
    checks.check(sorted(by_job) == sorted(targets) and set(by_job.values()) == {1},
                 "quarterly set: every target organization has exactly one report from the job",
                 f"{len(by_job)} organizations × {sorted(set(by_job.values()))} report(s): {by_job}")
    after = quarterly_reports()
    added = {code: after[code] - before.get(code, 0) for code in after if after[code] != before.get(code, 0)}
    checks.check(added == {code: 1 for code in targets}, "quarterly set: no organization got a second report",
                 f"new archive versions per organization: {added}")


# ---------------------------------------------------------------------- drills 5 and 6: the watchdog

def use_watchdog_settings(services: Services) -> None:
    """The portal, beat and the workers restarted with the watchdog's settings shortened (WATCHDOG_ENV), all alike
    as in production: the sender's settings count too (a message carries the task time limit of whoever sent it)."""
    stopped = services.stop_workers()
    for name in ("beat", "gunicorn"):
        services.kill_group(name, signal.SIGTERM)
    services.env.update(WATCHDOG_ENV)
    services.start_portal()
    services.start_beat("beat2")
    print(f"      workers {stopped} stopped; portal and beat restarted with {WATCHDOG_ENV}", flush=True)


def minutes_env(name: str) -> int:
    return int(WATCHDOG_ENV[name])


def watchdog_bound(threshold: str) -> int:
    """The longest a lost job should wait for the watchdog: its threshold plus one period."""
    return 60 * minutes_env(threshold) + int(WATCHDOG_ENV["JOB_WATCHDOG_SECONDS"])


def queued_runs(services: Services, job_id: int) -> int:
    """Messages running this job that wait in Redis' default queue."""
    count = 0
    for raw in services.redis().lrange("celery", 0, -1):
        headers = json.loads(raw).get("headers", {})
        count += headers.get("task") == "jobs.run_job" and headers.get("argsrepr") == f"({job_id},)"
    return count


def watchdog_results(services: Services, worker: str, key: str) -> list[str]:
    """The watchdog's reports (from the worker's log) where `key` is not 0."""
    return re.findall(rf"Task jobs\.watchdog\[[^\]]+\] succeeded in [\d.]+s: (\{{[^}}]*'{key}': [1-9][^}}]*\}})",
                      services.log_text(worker))


def lose_the_message(checks: Checks, services: Services, api: Api, code: str, data: bytes) -> tuple[int, dict]:
    job_id = submit(api, code, data)
    handed, waiting = job_row(job_id), queued_runs(services, job_id)
    services.kill_group("redis", signal.SIGTERM)
    services.start_redis()
    left = queued_runs(services, job_id)
    checks.check(handed["enqueued_at"] and waiting == 1 and left == 0,
                 "no worker; Redis restarted without persistence: the job's message is lost",
                 f"job {job_id} handed over (enqueued_at set); its messages in the queue: {waiting} before the "
                 f"restart, {left} after")
    return job_id, handed


def drill_lost_message(checks: Checks, services: Services, api: Api, code: str, data: bytes, clean: dict) -> None:
    job_id, handed = lose_the_message(checks, services, api, code, data)
    services.start_worker("worker3")
    time.sleep(5)
    idle = job_row(job_id)
    checks.check(idle["status"] == "queued", "a new worker finds nothing to run: the job waits",
                 f"5 s after worker3 was ready: {idle['status']} «{idle['stage']}»")
    row = wait_finished(job_id, watchdog_bound("JOB_QUEUED_STALE_MINUTES") + 120)
    resent = (row["enqueued_at"] - handed["enqueued_at"]).total_seconds()
    ended = (row["finished_at"] - handed["enqueued_at"]).total_seconds() if row["finished_at"] else -1
    bound = watchdog_bound("JOB_QUEUED_STALE_MINUTES")
    on_time = 60 * minutes_env("JOB_QUEUED_STALE_MINUTES") <= resent <= bound + 10 and 0 < ended <= bound + 20
    checks.check(row["status"] == "done" and row["attempts"] == 1 and on_time,
                 "lost message: the watchdog hands the job over again and it runs",
                 f"{row['status']}, attempts {row['attempts']}; handed over again {resent:.1f} s after the first "
                 f"hand-over, done {ended:.1f} s after it (threshold + period = {bound} s); watchdog reports "
                 f"{watchdog_results(services, 'worker3', 'handed_over_again')}")
    if row["status"] == "done":
        wait_recompute(code)
        compare(checks, "lost message", fingerprint(code), clean)


def signal_pool(services: Services, worker: str, sig) -> list[int]:
    children = services.child_pids(worker)
    for pid in children:
        os.kill(pid, sig)
    return children


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def thaw(pids: list[int]) -> list[int]:
    """SIGCONT to the processes still there; returns those."""
    thawed = []
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGCONT)
            thawed.append(pid)
    return thawed


def drill_frozen_worker(checks: Checks, services: Services, api: Api, code: str, data: bytes, clean: dict) -> None:
    job_id = submit(api, code, data)
    seen = wait_stage(job_id, {CHECK_STAGE})
    if not checks.check(seen is not None, "pool process SIGSTOP during an upload: caught mid-way",
                        seen and f"stage «{seen['stage']}» {seen['percent']} %"):
        return
    frozen = signal_pool(services, "worker3", signal.SIGSTOP)
    frozen_at = time.monotonic()
    try:
        services.start_worker("worker4")
        checks.note(f"froze pool process(es) {frozen} of worker3 at «{seen['stage']}»; worker4 started")
        row = wait_finished(job_id, watchdog_bound("JOB_RUNNING_STALE_MINUTES") + 120)
        check_taken_over(checks, services, row, seen, time.monotonic() - frozen_at)
    finally:
        thawed = thaw(frozen)
    check_fenced(checks, services, job_id, row, thawed)
    if row["status"] == "done":
        wait_recompute(code)
        compare(checks, "frozen worker", fingerprint(code), clean)


def check_taken_over(checks: Checks, services: Services, row: dict, seen: dict, frozen_for: float) -> None:
    requeued = (row["enqueued_at"] - seen["heartbeat_at"]).total_seconds()
    bound = watchdog_bound("JOB_RUNNING_STALE_MINUTES")
    on_time = 60 * minutes_env("JOB_RUNNING_STALE_MINUTES") <= requeued <= bound + 10
    checks.check(row["status"] == "done" and row["attempts"] == 2 and on_time,
                 "frozen worker: the watchdog re-queues the silent job and the second worker completes it",
                 f"{row['status']}, attempts {row['attempts']}; re-queued {requeued:.1f} s after attempt 1's last "
                 f"heartbeat (threshold + period = {bound} s), done "
                 f"{frozen_for:.1f} s after the freeze, attempt 2 took {job_seconds(row)} s; watchdog reports "
                 f"{watchdog_results(services, 'worker4', 'restarted')}")


def check_fenced(checks: Checks, services: Services, job_id: int, row: dict, thawed: list[int]) -> None:
    """The frozen attempt, woken, meets the newer attempt at its next report and stops: nothing stored."""
    thawed_at = time.monotonic()
    fenced = f"job {job_id}: attempt 1 was taken over by a newer attempt and stopped"
    try:
        services.wait_for(lambda: fenced in services.log_text("worker3"), 60, "the old attempt fenced")
    except TimeoutError:
        pass
    seen_fenced = fenced in services.log_text("worker3")
    keys = ("status", "attempts", "result", "finished_at", "error")
    after = job_row(job_id)
    unchanged = {k: after[k] for k in keys} == {k: row[k] for k in keys}
    checks.check(thawed and seen_fenced and unchanged and all(alive(pid) for pid in thawed),
                 "frozen worker woken (SIGCONT): its old attempt is fenced and stores nothing",
                 f"pool process(es) {thawed} thawed, alive; «{fenced}» in worker3's log: {seen_fenced} "
                 f"({time.monotonic() - thawed_at:.1f} s after SIGCONT); job unchanged: {unchanged} "
                 f"({after['status']}, attempts {after['attempts']})")


# ---------------------------------------------------------------------- the run

def run(args, checks: Checks, services: Services) -> None:
    started = time.monotonic()
    services.start_postgres()
    services.start_redis()
    services.migrate()
    django_setup(services.env)
    codes = {"clean": "DRILL-CLEAN", "kill_pool": "DRILL-KILL-POOL", "kill_worker": "DRILL-KILL-WORKER",
             "small": "DRILL-SMALL-CLEAN", "pg": [f"DRILL-PG-{n}" for n in range(1, 5)],
             "redis": [f"DRILL-REDIS-{n}" for n in range(1, 3)], "lost": "DRILL-LOST-MESSAGE", "frozen": "DRILL-FROZEN"}
    flat = [c for v in codes.values() for c in (v if isinstance(v, list) else [v])]
    user, token = setup_world(flat)
    big, small = regional_export(args.pupils, seed=2), regional_export(args.small_pupils, seed=3)
    services.start_portal()
    services.start_worker("worker1")
    services.start_beat()
    api = Api(services.base_url, token)
    checks.note(f"services up in {time.monotonic() - started:.0f} s; files: {args.pupils} pupils "
                f"({len(big) / 1e6:.1f} MB), {args.small_pupils} pupils ({len(small) / 1e6:.1f} MB); "
                f"visibility timeout {VISIBILITY_TIMEOUT} s, task limit {TASK_TIME_LIMIT} s")

    print("\n--- 1. worker killed mid-job", flush=True)
    clean = drill_clean_upload(checks, api, codes["clean"], big)
    drill_kill_pool_process(checks, services, api, codes["kill_pool"], big, clean)
    worker = drill_kill_whole_worker(checks, services, api, codes["kill_worker"], big, clean) or "worker1"
    drill_report(checks, services, worker, user)

    print("\n--- 2. PostgreSQL restarted under uploads", flush=True)
    small_clean = drill_clean_upload(checks, api, codes["small"], small)
    drill_postgres_restart(checks, services, api, codes["pg"], small, small_clean)

    print("\n--- 3. Redis down at submit time", flush=True)
    drill_redis_down(checks, services, api, codes["redis"], small, small_clean)

    print("\n--- 4. quarterly set: ordered twice, worker lost mid-set", flush=True)
    drill_quarterly_set(checks, services, worker)

    print("\n--- 5. message lost with Redis → watchdog", flush=True)
    use_watchdog_settings(services)
    drill_lost_message(checks, services, api, codes["lost"], small, small_clean)

    print("\n--- 6. frozen worker → watchdog and fencing", flush=True)
    drill_frozen_worker(checks, services, api, codes["frozen"], big, clean)
    checks.note(f"drills took {time.monotonic() - started:.0f} s")


def utc_now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())


def on_alarm(signum, frame):
    raise TimeoutError("the drills ran over --max-seconds")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pupils", type=int, default=60_000, help="pupils in the big upload (mid-way kills)")
    parser.add_argument("--small-pupils", type=int, default=10_000, help="pupils in each upload of drills 2 and 3")
    parser.add_argument("--max-seconds", type=int, default=1200)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs) for inspection")
    args = parser.parse_args()
    checks, services = Checks(), Services()
    print(f"{utc_now()}; load average before: {os.getloadavg()}; temporary directory {services.tmp}", flush=True)
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.max_seconds)
    try:
        run(args, checks, services)
    except Exception as exc:  # a drill that cannot go on is a failure, and everything is still stopped below
        traceback.print_exc()
        checks.check(False, "drills aborted", f"{exc.__class__.__name__}: {exc}")
    finally:
        signal.alarm(0)
        services.stop_all()
        if args.keep:
            print(f"logs kept in {services.tmp}")
        else:
            services.remove()
    print(f"{utc_now()}; load average after: {os.getloadavg()}")
    print(checks.summary())
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
