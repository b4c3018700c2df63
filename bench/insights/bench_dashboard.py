"""Dashboard benchmark: the street's and a community's dashboard figures with 1 M cases, beside /api/v1/health.

    python bench/insights/bench_dashboard.py --db sqlite --cases 1000000
    python bench/insights/bench_dashboard.py --db postgres --cases 1000000

Builds the appeals benchmark's fixture (a street with 20 communities) and writes ``--cases`` cases in
bulk over five years (``bench_appeals.bulk_cases``, fixture data). Then ``gongzhi serve --workers 2``
(gunicorn) on 127.0.0.1 answers, over one keep-alive connection, ``--n`` requests each of:

- ``GET /api/v1/health`` (the baseline, same server, same run);
- ``GET /api/v1/insights/rates?period=<this month>`` as the street officer (the whole street: 三率, the
  previous month, by category and week, overdue now and the ranking of 20 communities) and as the
  secretary of one community — the same ``rates.summary`` the dashboard page renders;

first counted from the cases (no rollup), then after ``gongzhi insights rollup --full`` (timed) from the
daily rollup. Prints one JSON line: p50/p95 of each, the ratio of each p95 to the health p95, rollup time.

Data: SQLite in /tmp/gz-bench-insights-sqlite, or the PostgreSQL database ``gongzhi_insights_bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/: common, bench_appeals

import bench_appeals  # noqa: E402
from common import BENCH_KEYS, PYTHON, REPO, Http, log, machine, percentile  # noqa: E402

PG_NAME = os.environ.get("GONGZHI_BENCH_INSIGHTS_DB", "gongzhi_insights_bench")


def environment(db: str) -> dict[str, str]:
    env = {**os.environ, **BENCH_KEYS, "DJANGO_SETTINGS_MODULE": "gongzhi.settings",
           "GONGZHI_DATA_DIR": f"/tmp/gz-bench-insights-{db}",  # noqa: S108
           "GONGZHI_LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO),
           "GONGZHI_APPEALS_CLASSIFIER": ""}
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"postgresql://{PG_NAME}:{PG_NAME}@127.0.0.1:5432/{PG_NAME}"
    return env


bench_appeals.environment = environment  # the server of bench_appeals.Serve runs on this benchmark's data


def prepare(db: str, *, reuse: bool = False) -> None:
    if reuse:  # the cases of the last run, migrated to this checkout
        subprocess.run([PYTHON, "-m", "gongzhi", "migrate", "-v", "0"], env=environment(db), cwd=REPO, check=True)  # noqa: S603
        _setup(db)
        return
    if db == "postgres":
        psql = bench_appeals._psql
        if psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{PG_NAME}'") != "1":  # noqa: S608
            psql(f"CREATE ROLE {PG_NAME} LOGIN PASSWORD '{PG_NAME}'")
        if psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_NAME}'") == "1":  # noqa: S608
            psql(f"DROP DATABASE {PG_NAME} WITH (FORCE)")
        psql(f"CREATE DATABASE {PG_NAME} OWNER {PG_NAME}")
    data = Path(f"/tmp/gz-bench-insights-{db}")  # noqa: S108
    shutil.rmtree(data, ignore_errors=True)
    subprocess.run([PYTHON, "-m", "gongzhi", "migrate", "-v", "0"], env=environment(db), cwd=REPO, check=True)  # noqa: S603
    _setup(db)


def _setup(db: str) -> None:
    os.environ.update(environment(db))
    if db != "postgres":
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def sample(http: Http, url: str, n: int, token: str | None = None) -> list[float]:
    for _i in range(3):
        http.get(url, token=token)
    times = []
    for _i in range(n):
        status, elapsed, body = http.get(url, token=token)
        if status != 200:
            raise SystemExit(f"{url} answered {status}: {body}")
        times.append(elapsed)
    return times


def summarise(times: list[float], health_p95: float) -> dict:
    p95 = percentile(times, 95)
    return {"p50_ms": round(percentile(times, 50) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "p95_vs_health": round(p95 / health_p95, 1)}


def measure(port: int, tokens: dict, period: str, n: int) -> dict:
    http = Http(port)
    health = sample(http, "/api/v1/health", n)
    health_p95 = percentile(health, 95)
    out = {"health": {"p50_ms": round(percentile(health, 50) * 1000, 1), "p95_ms": round(health_p95 * 1000, 1)}}
    for who, token in tokens.items():
        out[who] = summarise(sample(http, f"/api/v1/insights/rates?period={period}", n, token), health_p95)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--n", type=int, default=100, help="requests per measurement")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the cases written by the last run again (after migrating them)")
    args = parser.parse_args()
    log(machine())
    prepare(args.db, reuse=args.reuse)
    if args.reuse:
        from gongzhi.appeals.models import Appeal
        from gongzhi.insights.models import DailyRollup, RollupState

        RollupState.objects.all().delete()  # the first pass counts from the cases again
        DailyRollup.objects.all().delete()
        result = {"db": args.db, "cases": Appeal.objects.count(), "bulk_seconds": None, "reused": True}
    else:
        fixture = bench_appeals.build_fixture()
        t0 = time.perf_counter()
        bench_appeals.bulk_cases(args.cases, fixture, random.Random(8))
        result = {"db": args.db, "cases": args.cases, "bulk_seconds": round(time.perf_counter() - t0, 1)}
    from gongzhi.insights import rates

    period = rates.current_month()
    with bench_appeals.Serve(args.db) as server:
        http = Http(server.port)
        tokens = {"street": http.token("street", bench_appeals.PASSWORD),
                  "secretary": http.token("secretary", bench_appeals.PASSWORD)}
        status, _t, body = http.get(f"/api/v1/insights/rates?period={period}", token=tokens["street"])
        result["street_cases_this_month"] = body["rates"]["cases"]
        live = body
        result["live"] = measure(server.port, tokens, period, args.n)
        log(f"live: {json.dumps(result['live'])}")
        t0 = time.perf_counter()
        subprocess.run([PYTHON, "-m", "gongzhi", "insights", "rollup", "--full"], env=environment(args.db),  # noqa: S603
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        result["rollup_full_seconds"] = round(time.perf_counter() - t0, 1)
        from gongzhi.insights.models import DailyRollup

        result["rollup_rows"] = DailyRollup.objects.count()
        status, _t, body = http.get(f"/api/v1/insights/rates?period={period}", token=tokens["street"])
        result["same_figures"] = body["rates"] == live["rates"] and body["ranking"] == live["ranking"]
        result["rollup"] = measure(server.port, tokens, period, args.n)
    result["machine"] = machine()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
