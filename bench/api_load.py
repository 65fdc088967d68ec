"""Bench: the indicators API under 20 concurrent clients, against gunicorn on PostgreSQL (plain script).

Builds a region (municipalities, schools, a value of every indicator for each group and four periods)
in a PostgreSQL database, starts gunicorn on a free local port with DATABASE_URL set, and drives the
indicator endpoints with 20 threads for 30 s using API tokens (region and municipality scope); then
/healthz on the same server the same way. Prints requests/s, p50/p95 latency, errors, and the ratio.
Targets: p95 ≤ 150 ms, 0 errors, ratio to /healthz ≥ 0.5.

Run: /work/main/.venv/bin/python bench/api_load.py
(BENCH_DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/rsoko_h_monitoring_bench; created if missing)
(options: BENCH_SECONDS=30 BENCH_CLIENTS=20 BENCH_SCHOOLS=1000 BENCH_WORKERS=3)
"""
import http.client
import os
import random
import sys
import threading
import time

from harness import ROOT, create_database, free_port, latency_summary, production_env, start_gunicorn, stop

sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rsoko_h_monitoring_bench")
SECONDS = float(os.environ.get("BENCH_SECONDS", 30))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 20))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", 1000))
WORKERS = int(os.environ.get("BENCH_WORKERS", 3))
THREADS = int(os.environ.get("BENCH_THREADS", 8))
WARMUP = float(os.environ.get("BENCH_WARMUP", 5))
MUNICIPALITIES = 25
PERIODS = ("2025", "2026", "2026Q3", "2026Q4")
TARGET_P95_MS, TARGET_RATIO = 150.0, 0.5

os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rsoko.settings")


def populate() -> dict:
    """The region, its values and two API tokens; rebuilt only when the school count differs."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from rsoko.orgs.services import api_token_issue

    from monitoring.models import Indicator, IndicatorValue
    from rsoko.orgs.choices import OrgKind, Role
    from rsoko.orgs.models import Membership, Municipality, Organization, Region
    from django.contrib.auth import get_user_model

    schools = Organization.objects.filter(kind=OrgKind.SCHOOL, code__startswith="sch5")
    if schools.count() != SCHOOLS or not IndicatorValue.objects.exists():
        IndicatorValue.objects.all().delete()
        Membership.objects.all().delete()
        Organization.objects.all().delete()
        Municipality.objects.all().delete()
        region, _ = Region.objects.get_or_create(code="99", defaults={"name": "Нагрузочная область"})
        municipalities = Municipality.objects.bulk_create(
            [Municipality(region=region, code=f"reg99_b{m:03d}", name=f"Район {m:03d}") for m in range(MUNICIPALITIES)])
        Organization.objects.create(kind=OrgKind.MINISTRY, code="MIN", short_name="Министерство",
                                    full_name="Министерство")
        Organization.objects.bulk_create([Organization(kind=OrgKind.MUNICIPAL_OFFICE, code=f"MOUO-{m.code}",
                                                       short_name=f"УО {m.name}", full_name=f"УО {m.name}",
                                                       municipality=m) for m in municipalities])
        Organization.objects.bulk_create([
            Organization(kind=OrgKind.SCHOOL, code=f"sch5{s:05d}", short_name=f"Школа {s}", full_name=f"Школа {s}",
                         municipality=municipalities[s % MUNICIPALITIES]) for s in range(SCHOOLS)])
        rng = random.Random(1)
        values = []
        groups = [("region", None, None, "region")]
        groups += [("municipality", m.id, None, f"m{m.id}") for m in municipalities]
        groups += [("school", s.municipality_id, s.id, f"s{s.id}")
                   for s in Organization.objects.filter(kind=OrgKind.SCHOOL)]
        for indicator in Indicator.objects.all():
            for period in PERIODS:
                if (indicator.periodicity == "quarter") != ("Q" in period):
                    continue
                values += [IndicatorValue(indicator=indicator, period=period, level=level, municipality_id=mun,
                                          organization_id=school, key=key, value=rng.uniform(0, 100),
                                          numerator=1, denominator=1)
                           for level, mun, school, key in groups if level in indicator.levels]
        IndicatorValue.objects.bulk_create(values, batch_size=5000)
    User = get_user_model()
    tokens = {}
    first_office = Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE).order_by("code").first()
    for name, org in (("bench_region", Organization.objects.get(code="MIN")), ("bench_mouo", first_office)):
        user, _ = User.objects.get_or_create(username=name)
        Membership.objects.get_or_create(user=user, organization=org, role=Role.API_CLIENT)
        tokens[name] = api_token_issue(actor=None, user=user)
    mouo = Organization.objects.filter(kind=OrgKind.MUNICIPAL_OFFICE).order_by("code").first()
    return {"tokens": tokens, "values": IndicatorValue.objects.count(), "mouo": mouo.code,
            "school": Organization.objects.filter(kind=OrgKind.SCHOOL, municipality=mouo.municipality).first().code,
            "indicators": list(Indicator.objects.values_list("code", flat=True))}


def start_server(port: int):
    env = production_env(DATABASE_URL, API_THROTTLE_INDICATORS="1000000/min")
    return start_gunicorn(port, env, workers=WORKERS, threads=THREADS)


def indicator_requests(info) -> list[tuple[str, str]]:
    """The calls an external client makes, each with the token it uses."""
    region, mouo = info["tokens"]["bench_region"], info["tokens"]["bench_mouo"]
    codes = info["indicators"]
    calls = [("/api/v1/indicators/", region), ("/api/v1/indicators/vpr_quality/", mouo)]
    for code in codes[:12]:
        calls.append((f"/api/v1/indicator-values/?indicator={code}&level=municipality&period=2026", region))
        calls.append((f"/api/v1/indicator-values/?indicator={code}&period=2026", mouo))
    calls.append((f"/api/v1/indicator-values/?organization={info['school']}&period=2026", mouo))
    calls.append((f"/api/v1/indicator-values/?organization={info['mouo']}", region))
    calls.append(("/api/v1/indicator-values/?level=region&period=2026Q4", region))
    calls.append(("/api/v1/indicator-values/?page=3", mouo))
    return calls


def drive(port: int, calls: list[tuple[str, str | None]], seconds: float) -> tuple[list[float], int, int]:
    latencies, errors, lock, stop = [], [0], threading.Lock(), time.perf_counter() + seconds

    def client(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, failed = [], 0
        while time.perf_counter() < stop:
            path, token = rng.choice(calls)
            headers = {"Authorization": f"Token {token}", "Accept": "application/json"} if token else {}
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
                    if failed <= 3:
                        print(f"  ошибка {response.status} на {path}", file=sys.stderr)
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            except (OSError, http.client.HTTPException) as error:
                failed += 1
                print(f"  ошибка {error!r} на {path}", file=sys.stderr)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], len(latencies)


def report(label: str, latencies: list[float], errors: int, seconds: float) -> float:
    figures = latency_summary(latencies)
    rps = figures["count"] / seconds
    print(f"{label}: {figures['count']} запросов, {rps:.1f} запросов/с, p50 {figures['p50']:.1f} мс, "
          f"p95 {figures['p95']:.1f} мс, max {figures['max']:.0f} мс, ошибок {errors}")
    return rps, figures["p95"]


def main() -> None:
    create_database(DATABASE_URL)
    info = populate()
    print(f"Данные: {info['values']} значений показателей, {SCHOOLS} ОО, {MUNICIPALITIES} муниципалитетов")
    port = free_port()
    server = start_server(port)
    try:
        calls = indicator_requests(info)
        drive(port, calls, WARMUP)  # warm-up: connections, each worker's caches
        latencies, errors, _ = drive(port, calls, SECONDS)
        rps, p95 = report(f"Показатели ({CLIENTS} клиентов, {SECONDS:.0f} с)", latencies, errors, SECONDS)
        drive(port, [("/healthz", None)], 2)
        h_latencies, h_errors, _ = drive(port, [("/healthz", None)], SECONDS)
        h_rps, _ = report(f"/healthz ({CLIENTS} клиентов, {SECONDS:.0f} с)", h_latencies, h_errors, SECONDS)
    finally:
        stop(server)
    ratio = rps / h_rps if h_rps else 0.0
    print(f"p95 {p95:.1f} мс (цель ≤ {TARGET_P95_MS:.0f} мс, доля от цели {p95 / TARGET_P95_MS:.2f}); "
          f"ошибок {errors} (цель 0); отношение к /healthz {ratio:.2f} (цель ≥ {TARGET_RATIO})")
    ok = p95 <= TARGET_P95_MS and errors == 0 and ratio >= TARGET_RATIO
    print("Цели достигнуты" if ok else "Цели НЕ достигнуты")


if __name__ == "__main__":
    main()
