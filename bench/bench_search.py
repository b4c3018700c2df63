"""Resident search benchmark: p50/p95 of ``GET /api/v1/residents?q=…`` over HTTP at city scale.

    python bench/bench_search.py --communities 100 --db sqlite
    python bench/bench_search.py --communities 100 --db postgres

Seeds the city profile first (without the apps' demo data, which searches do not touch) if the database
does not hold exactly N communities (``--reseed`` forces it),
then starts ``gunicorn gongzhi.wsgi`` on 127.0.0.1 and asks, as users with different scopes (a district
and a street officer, the Junmen secretary, a grid worker, and the administrator for reference), the
questions staff ask: full names, one- and two-character name prefixes, pinyin initials and full pinyin,
the last four ID digits, everyone in a building, and the first page with no query. Queries are drawn from
residents inside each user's scope. Every request is timed client-side over one keep-alive connection,
after one warm-up pass. The baseline is ``GET /api/v1/health`` on the same server in the same run, probed
again before every (user, query kind) block because the machine is shared and its load drifts; the ratio
is search p50 / the nearest health p50. The target (p95 under 50 ms) applies to staff searches (a ``q``
or a building); the first page with no query (an exact count of the whole scope) is reported beside it.
"""

import argparse
import json
import os
import random
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PG_NAME,
    Http,
    Server,
    log,
    machine,
    percentile,
    prepare_database,
    process_cpu,
    seed_city,
    use_environment,
)
from common import _psql as psql  # noqa: E402

USERS = ["district01", "street", "secretary", "grid01", "admin"]
TARGET_MS = 50
LISTING = "first page, no query"
HEALTH_PROBES = 30


def seeded_communities(db: str, communities: int) -> int:
    from django.db import DatabaseError

    from gongzhi.registry.enums import PlaceKind
    from gongzhi.registry.models import Place

    try:
        return Place.objects.filter(kind=PlaceKind.COMMUNITY).count()
    except DatabaseError:
        return -1


def queries_for(username: str, rng: random.Random, n: int) -> tuple[int, dict[str, list[dict]]]:
    """Search parameters drawn from the residents this user may see; returns (scope size, queries)."""
    from gongzhi.accounts.models import User
    from gongzhi.core import paths
    from gongzhi.registry.enums import PlaceKind, ResidentStatus
    from gongzhi.registry.models import Resident
    from gongzhi.registry.selectors import places_visible_to, residents_visible_to

    user = User.objects.get(username=username)
    scope = residents_visible_to(user).filter(status=ResidentStatus.ACTIVE)
    ids = list(scope.values_list("id", flat=True))
    picked = Resident.objects.filter(pk__in=rng.sample(ids, min(n, len(ids)))).order_by("id")
    people = list(picked.values("name", "name_pinyin", "name_initials", "id_last4"))
    rng.shuffle(people)
    buildings = list(places_visible_to(user).filter(kind=PlaceKind.BUILDING).values_list("id", "path"))
    if username == "admin":
        buildings = buildings[:: max(1, len(buildings) // 2000)]
    building_ids = [pk for pk, path in rng.sample(buildings, min(n, len(buildings)))
                    if Resident.objects.filter(paths.subtree_q("path", path)).exists()]
    return len(ids), {
        "full name": [{"q": p["name"]} for p in people],
        "1-char prefix": [{"q": p["name"][:1]} for p in people],
        "2-char prefix": [{"q": p["name"][:2]} for p in people],
        "pinyin initials": [{"q": p["name_initials"]} for p in people],
        "full pinyin": [{"q": p["name_pinyin"]} for p in people],
        "last 4 ID digits": [{"q": p["id_last4"]} for p in people],
        "building": [{"place": b} for b in building_ids],
        "first page, no query": [{} for _ in people[: max(5, n // 3)]],
    }


def pg_backends() -> list[int]:
    """The PostgreSQL backends serving the benchmark database (the gunicorn worker's one connection)."""
    out = psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{PG_NAME}' "  # noqa: S608 - constant
               "AND backend_type = 'client backend' AND pid <> pg_backend_pid()")
    return sorted(int(x) for x in out.split())


def db_cpu(db: str) -> tuple[list[int], float]:
    """(backend pids, their CPU seconds so far): on PostgreSQL the query work runs in the backend, not in the
    gunicorn worker. SQLite runs inside the worker, whose CPU is counted already."""
    if db != "postgres":
        return [], 0.0
    pids = pg_backends()
    return pids, sum(process_cpu(pid) for pid in pids)


def run(http: Http, token: str, params: dict) -> tuple[float, dict]:
    path = "/api/v1/residents?" + urllib.parse.urlencode({**params, "limit": 20})
    status, seconds, body = http.get(path, token)
    if status != 200:
        raise SystemExit(f"{path}: HTTP {status} {body}")
    if "q" in params and params["q"] and body["count"] == 0:
        raise SystemExit(f"{path}: no result for a query drawn from the scope")
    return seconds, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--queries", type=int, default=40, help="queries per user and kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reseed", action="store_true", help="seed again even if the database looks ready")
    parser.add_argument("--users", default=",".join(USERS))
    args = parser.parse_args()

    log(f"machine: {machine()}")
    if args.db == "postgres":
        prepare_database(args.db, args.communities, fresh=False)
    use_environment(args.db, args.communities)
    if args.reseed or seeded_communities(args.db, args.communities) != args.communities:
        from django.db import connection

        connection.close()
        prepare_database(args.db, args.communities, fresh=True)
        log(f"seeding {args.communities} communities into {args.db} …")
        counts, wall = seed_city(args.db, args.communities, seed=args.seed, apps=False)
        log(f"seeded {counts['residents']:,} residents in {wall:.0f} s")
    from django.db import connection

    from gongzhi.registry.models import Resident

    total = Resident.objects.count()
    rng = random.Random(args.seed)
    plans = {u: queries_for(u, rng, args.queries) for u in args.users.split(",")}
    connection.close()

    results = []
    # One persistent database connection for the whole run (production would use a pool), so that the
    # PostgreSQL backend's CPU time can be read per block of queries.
    os.environ.setdefault("GONGZHI_DB_CONN_MAX_AGE", "86400")
    with Server(args.db, args.communities) as server:
        http = Http(server.port)
        health = [http.get("/api/v1/health")[1] for _ in range(200)]
        health_p50 = percentile(health, 50)
        health_all = list(health)
        for username, (scope_size, plan) in plans.items():
            token = http.token(username)
            for kind, params_list in plan.items():
                for params in params_list:  # warm-up pass
                    run(http, token, params)
                probes = [http.get("/api/v1/health")[1] for _ in range(HEALTH_PROBES)]
                health_all += probes
                local_health = percentile(probes, 50)
                times, counts = [], []
                backends, backend_cpu = db_cpu(args.db)
                cpu = process_cpu(server.worker_pid)
                for params in params_list:
                    seconds, body = run(http, token, params)
                    times.append(seconds)
                    counts.append(body["count"])
                cpu = process_cpu(server.worker_pid) - cpu
                backends_after, backend_cpu_after = db_cpu(args.db)
                # Only when the same persistent connection served the whole block.
                db_ms = (round((backend_cpu_after - backend_cpu) / len(times) * 1000, 1)
                         if args.db == "postgres" and backends and backends == backends_after else None)
                row = {"user": username, "scope": scope_size, "kind": kind, "n": len(times),
                       "p50_ms": round(percentile(times, 50) * 1000, 1),
                       "p95_ms": round(percentile(times, 95) * 1000, 1),
                       "max_ms": round(max(times) * 1000, 1),
                       "server_cpu_ms": round(cpu / len(times) * 1000, 1), "db_cpu_ms": db_ms,
                       "median_count": int(percentile(counts, 50)),
                       "health_p50_ms": round(local_health * 1000, 2),
                       "ratio_p50_to_health": round(percentile(times, 50) / local_health, 1),
                       "ratio_p95_to_health": round(percentile(times, 95) / local_health, 1),
                       "load": round(os.getloadavg()[0], 1)}
                results.append(row)
                log(f"{username:>10} {kind:<22} p50 {row['p50_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  "
                    f"server CPU {row['server_cpu_ms']:6.1f} ms/req  DB CPU {row['db_cpu_ms']} ms/req  "
                    f"health {row['health_p50_ms']} ms  load {row['load']}  (median count {row['median_count']:,})")

    health_run_p50 = percentile(health_all, 50)
    print(f"\nResident search over HTTP, {args.db}, {args.communities} communities, {total:,} residents "
          f"(incl. archived); baseline GET /api/v1/health p50 {health_run_p50 * 1000:.1f} ms over the run "
          f"({health_p50 * 1000:.1f} ms at the start)")
    print(f"{'user':<11}{'in scope':>11}  {'query':<22}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'health':>8}"
          f"{'p50×h':>7}{'p95×h':>7}{'CPU ms':>8}{'DB CPU':>8}{'count':>10}{'load':>6}")
    for r in results:
        flag = "" if r["user"] == "admin" or r["p95_ms"] <= TARGET_MS else "  > target"
        print(f"{r['user']:<11}{r['scope']:>11,}  {r['kind']:<22}{r['p50_ms']:>8}{r['p95_ms']:>8}{r['max_ms']:>8}"
              f"{r['health_p50_ms']:>8}{r['ratio_p50_to_health']:>7}{r['ratio_p95_to_health']:>7}{r['server_cpu_ms']:>8}"
              f"{r['db_cpu_ms'] if r['db_cpu_ms'] is not None else '-':>8}{r['median_count']:>10,}"
              f"{r['load']:>6}{flag}")
    searches = [r for r in results if r["user"] != "admin" and r["kind"] != LISTING]
    listings = [r for r in results if r["user"] != "admin" and r["kind"] == LISTING]
    worst = max(searches, key=lambda r: r["p95_ms"]) if searches else None
    worst_listing = max(listings, key=lambda r: r["p95_ms"]) if listings else None
    summary = {"benchmark": "search", "db": args.db, "communities": args.communities, "residents": total,
               "health_p50_ms": round(health_run_p50 * 1000, 2), "target_p95_ms": TARGET_MS,
               "worst_staff_p95_ms": worst["p95_ms"] if worst else None,
               "worst_staff_case": f"{worst['user']} / {worst['kind']}" if worst else None,
               "staff_searches_over_target": [f"{r['user']} / {r['kind']}" for r in searches
                                              if r["p95_ms"] > TARGET_MS],
               "worst_listing_p95_ms": worst_listing["p95_ms"] if worst_listing else None,
               "results": results, "machine": machine()}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
