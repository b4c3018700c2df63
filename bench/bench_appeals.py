"""Appeals benchmark: intake over HTTP beside GET /api/v1/health, and the handler inbox with many cases.

    python bench/bench_appeals.py --db sqlite --cases 1000000
    python bench/bench_appeals.py --db postgres --cases 1000000

The server is ``gongzhi serve --workers 2`` (gunicorn, sync workers) on 127.0.0.1 only. A small load
generator (16 threads, one keep-alive connection each) first asks ``GET /api/v1/health`` for ``--seconds``,
then ``POST /api/v1/appeals`` (a resident's text, a fresh ``Idempotency-Key`` each) for as long, and
reports requests per second and p50/p99 latency of both, measured client-side in the same run. Every
intake is a full case: triage against the published responsibility list (jieba), the events, the triage
decision, notifications and outbox rows, in one transaction.

Then ``--cases`` cases are written in bulk (fixture data, spread over 20 departments, the committees and
five years) and four inboxes are read over HTTP (``GET /api/v1/appeals/inbox/{handler,triage}?limit=20``):
a department handler's, the street officer's (every community of the street), a community secretary's and
the street's triage inbox: the first page with its bounded count 200 times (p50/p95), then 200 pages deep by
following the keyset cursor ``next`` (p50/p95). Then health and intake are measured again with the
million cases in the database.

The shipped triage model is installed first (``gongzhi triage builtin``, as a deployment does; requests
never train one). Data: SQLite in /tmp/gz-bench-appeals-sqlite, or the PostgreSQL database
``gongzhi_bench_appeals`` (its own role and database, never the shared ``gongzhi_bench``; another name with
GONGZHI_BENCH_APPEALS_DB). ``--skip-intake`` measures only the inboxes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_KEYS, PYTHON, REPO, Http, free_port, log, machine, percentile  # noqa: E402

PG_NAME = os.environ.get("GONGZHI_BENCH_APPEALS_DB", "gongzhi_bench_appeals")  # never the shared gongzhi_bench
PASSWORD = "bench-password-0123"
TEXTS = [
    "楼下餐馆油烟直排，晚上都不敢开窗",
    "小区里的树木太高了，挡住阳光，希望修剪一下树枝",
    "家里洗衣机坏了，不知道找谁维修",
    "旁边工地夜间施工噪音太大",
    "楼上漏水，我家天花板都渗水了",
    "巷子里的路灯不亮一个星期了",
    "小区停车难，晚上回来没有车位",
    "想了解一下社区最近有什么新闻",
]


def environment(db: str) -> dict[str, str]:
    env = {
        **os.environ,
        **BENCH_KEYS,
        "DJANGO_SETTINGS_MODULE": "gongzhi.settings",
        "GONGZHI_DATA_DIR": f"/tmp/gz-bench-appeals-{db}",  # noqa: S108
        "GONGZHI_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"postgresql://{PG_NAME}:{PG_NAME}@127.0.0.1:5432/{PG_NAME}"
    return env


def _psql(sql: str) -> str:
    cmd = ["psql", "-v", "ON_ERROR_STOP=1", "-tAc", sql, "postgres"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603


def prepare(db: str) -> None:
    if db == "postgres":
        try:
            _psql("SELECT 1")
        except (subprocess.CalledProcessError, FileNotFoundError):
            subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=True)  # noqa: S607
            time.sleep(2)
        if _psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{PG_NAME}'") != "1":  # noqa: S608
            _psql(f"CREATE ROLE {PG_NAME} LOGIN PASSWORD '{PG_NAME}'")
        if _psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_NAME}'") == "1":  # noqa: S608
            _psql(f"DROP DATABASE {PG_NAME} WITH (FORCE)")
        _psql(f"CREATE DATABASE {PG_NAME} OWNER {PG_NAME}")
    data = Path(f"/tmp/gz-bench-appeals-{db}")  # noqa: S108
    for child in data.glob("*") if data.exists() else []:
        if child.name != "models":  # the shipped triage model's files are kept between runs
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    subprocess.run([PYTHON, "-m", "gongzhi", "migrate", "-v", "0"], env=environment(db), cwd=REPO, check=True)  # noqa: S603
    # Install the shipped triage model as a deployment does (requests never train one).
    started = time.perf_counter()
    subprocess.run([PYTHON, "-m", "gongzhi", "triage", "builtin"], env=environment(db), cwd=REPO, check=True,  # noqa: S603
                   stdout=subprocess.DEVNULL)
    log(f"triage model installed in {time.perf_counter() - started:.0f} s")
    os.environ.update(environment(db))
    if db != "postgres":
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def build_fixture() -> dict:
    """A district, a street, 20 communities; the first with grids, buildings, a resident and a published list."""
    import datetime as dt

    from gongzhi.accounts.enums import Role
    from gongzhi.accounts.models import Department
    from gongzhi.accounts.services import assign_role, create_user
    from gongzhi.appeals import services
    from gongzhi.core import idcard
    from gongzhi.registry import services as registry
    from gongzhi.registry.enums import PlaceKind

    district = registry.create_place(kind=PlaceKind.DISTRICT, name="鼓楼区", code="350102")
    street = registry.create_place(kind=PlaceKind.STREET, name="东街街道", parent=district)
    communities = [
        registry.create_place(kind=PlaceKind.COMMUNITY, name=f"社区{i:02d}", parent=street) for i in range(20)
    ]
    home = communities[0]
    grid = registry.create_place(kind=PlaceKind.GRID, name="第一网格", parent=home)
    estate = registry.create_place(kind=PlaceKind.ESTATE, name="军门小区", parent=grid)
    building = registry.create_place(kind=PlaceKind.BUILDING, name="1号楼", parent=estate, floors=6)
    household = registry.create_household(building=building, unit_no="1", room_no="301")
    resident = registry.register_resident(
        actor=None,
        household=household,
        name="李秀英",
        id_number=idcard.make("350102", dt.date(1980, 5, 17), 1),
        phone="13800000001",
        relation="head",
        tags=[],
        check_permission=False,
    )
    secretary = create_user(username="secretary", password=PASSWORD)
    assign_role(user=secretary, role=Role.SECRETARY, place=home)
    for c in communities:
        services.publish_list(actor=secretary, rlist=services.draft_list(actor=secretary, community=c))
    user = create_user(username="resident", password=PASSWORD, resident=resident)
    assign_role(user=user, role=Role.RESIDENT, place=home)
    officer = create_user(username="street", password=PASSWORD)
    assign_role(user=officer, role=Role.STREET_OFFICER, place=street)
    fumes = services.find_department(home, "区生态环境局", "大气环境科")
    dept = create_user(username="dept", password=PASSWORD)
    assign_role(user=dept, role=Role.DEPARTMENT_HANDLER, department=fumes)
    return {
        "communities": [c.pk for c in communities],
        "paths": {c.pk: c.path for c in communities},
        "departments": list(Department.objects.values_list("pk", flat=True)),
        "fumes": fumes.pk,
    }


STATUS_SQL = """CASE WHEN s < 80 THEN 'closed' WHEN s < 83 THEN 'assigned' WHEN s < 86 THEN 'accepted'
    WHEN s < 89 THEN 'in_progress' WHEN s < 91 THEN 'replied' WHEN s < 93 THEN 'rated' WHEN s < 95 THEN 'triaged'
    WHEN s < 97 THEN 'submitted' ELSE 'withdrawn' END"""


def bulk_cases(n: int, fixture: dict, rng: random.Random) -> None:
    """``n`` cases generated inside the database with one INSERT … SELECT per batch (fixture data: the
    workflow itself is measured by the intake run). 80 % closed, the rest spread over every status; 60 %
    government matters over all departments, 25 % community, 15 % private; over five years."""
    from django.db import connection, transaction

    pg = connection.vendor == "postgresql"
    communities = ", ".join(f"({i}, {pk}, '{fixture['paths'][pk]}')" for i, pk in enumerate(fixture["communities"]))
    departments = ", ".join(f"({i}, {pk})" for i, pk in enumerate(fixture["departments"]))
    nc, nd = len(fixture["communities"]), len(fixture["departments"])
    if pg:
        series = "SELECT generate_series(%(lo)s::bigint, %(hi)s::bigint) AS n"  # n * 7919 overflows int4
        token, true, false, empty_json = "gen_random_uuid()", "true", "false", "'{}'::jsonb"

        def ago(minutes: str, plus_days: int = 0) -> str:
            return f"(now() - make_interval(mins => ({minutes})::int) + make_interval(days => {plus_days}))"
    else:
        series = (
            "WITH RECURSIVE seq(n) AS (SELECT %(lo)s UNION ALL SELECT n + 1 FROM seq WHERE n < %(hi)s) "
            "SELECT n FROM seq"
        )
        token, true, false, empty_json = "lower(hex(randomblob(16)))", "1", "0", "'{}'"

        def ago(minutes: str, plus_days: int = 0) -> str:
            return f"datetime('now', '-' || ({minutes}) || ' minutes', '+{plus_days} days')"

    m = "((n * 7919) % 2628000)"
    created = ago(m)
    sql = f"""
    INSERT INTO appeals_appeal (handler_kind, department_id, committee, token, community_id, place_id, path,
        resident_id, submitted_by_id, recorded_by_id, anonymous, contact_name_cipher, contact_name_masked,
        contact_phone_cipher, contact_phone_hash, contact_phone_masked, channel, external_id, text, public_text,
        public_reply, address, lat, long, idempotency_key, tier, category, list_item_id, list_version_id,
        suggestion, status, due_at, reply_due_at, reminded_at, escalated_at, returns_count, reopen_count,
        merged_into_id, reply, replied_at, rating, rating_comment, rated_at, followed_up_at, closed_at,
        responded_in_time, resolved, satisfied, created_at, updated_at)
    WITH c(idx, cid, cpath) AS (VALUES {communities}), d(idx, did) AS (VALUES {departments}),
    rows AS (SELECT n, n % 100 AS s, (n / 100) % 20 AS k FROM ({series}) AS numbers)
    SELECT
        CASE WHEN k < 12 THEN 'department' WHEN k < 17 THEN 'committee' ELSE 'resident' END,
        CASE WHEN k < 12 THEN d.did END,
        CASE WHEN k >= 12 AND k < 17 THEN 'environment' ELSE '' END,
        {token}, c.cid, NULL, c.cpath, NULL, NULL, NULL, {false}, '', '', '', '', '', 'hotline', '',
        '楼下餐馆油烟直排，晚上都不敢开窗', CASE WHEN s < 80 THEN '楼下餐馆油烟直排' ELSE '' END, '', '', NULL, NULL,
        NULL, CASE WHEN k < 12 THEN 'government' WHEN k < 17 THEN 'community' ELSE 'private' END, '生态环境',
        NULL, NULL, {empty_json}, {STATUS_SQL},
        CASE WHEN s >= 80 AND s < 89 OR s >= 93 AND s < 97 THEN {ago(m, 5)} END, NULL, NULL, NULL, 0, 0, NULL,
        CASE WHEN s < 93 AND (s < 80 OR s >= 89) THEN '已处理' ELSE '' END,
        CASE WHEN s < 93 AND (s < 80 OR s >= 89) THEN {ago(m, 2)} END,
        CASE WHEN s < 80 OR s IN (91, 92) THEN 'satisfied' ELSE '' END, '', NULL, NULL,
        CASE WHEN s < 80 THEN {ago(m, 3)} END, NULL, NULL, CASE WHEN s < 80 THEN {true} END,
        {created}, {created}
    FROM rows JOIN c ON c.idx = rows.n % {nc} JOIN d ON d.idx = rows.n % {nd}
    """  # noqa: S608 - built from our own integers and paths, no outside input
    started = time.perf_counter()
    batch = 100_000
    for lo in range(1, n + 1, batch):
        hi = min(n, lo + batch - 1)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.replace("%(lo)s", str(lo)).replace("%(hi)s", str(hi)))
        log(f"  {hi:,} cases ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE appeals_appeal" if pg else "ANALYZE")


class Serve:
    """``gongzhi serve --workers 2`` on 127.0.0.1 for the duration of a with-block."""

    def __init__(self, db: str, workers: int = 2):
        self.db, self.workers, self.port = db, workers, free_port()

    def __enter__(self) -> Serve:
        cmd = [
            PYTHON,
            "-m",
            "gongzhi",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--no-collectstatic",
        ]
        self.proc = subprocess.Popen(cmd, env=environment(self.db), cwd=REPO, stdout=subprocess.DEVNULL)  # noqa: S603
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if Http(self.port).get("/api/v1/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("server did not start")

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def load(port: int, *, threads: int, seconds: float, make_request) -> dict:
    """``threads`` clients, each on its own connection, sending requests for ``seconds``."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(n: int):
        http = Http(port)
        mine, bad = [], []
        i = 0
        while time.perf_counter() < stop_at:
            method, path, body, token, headers = make_request(n, i)
            status, elapsed = request(http, method, path, body, token, headers)
            (mine if 200 <= status < 300 else bad).append(elapsed if status < 300 else status)
            i += 1
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
    }


def request(http: Http, method, path, body, token, headers) -> tuple[int, float]:
    hdrs = {"Accept": "application/json", **headers}
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs["Content-Type"] = "application/json"
    started = time.perf_counter()
    try:
        http.conn.request(method, path, body=data, headers=hdrs)
        response = http.conn.getresponse()
        response.read()
    except (ConnectionError, OSError):
        http.conn.close()
        return 599, time.perf_counter() - started
    return response.status, time.perf_counter() - started


def inbox(port: int, token: str, kind: str = "handler", n: int = 200) -> dict:
    """The first page ``n`` times (p50/p95), then ``n`` pages deep by following ``next`` (keyset)."""
    http = Http(port)
    url = f"/api/v1/appeals/inbox/{kind}?limit=20"
    for _i in range(5):
        http.get(url, token=token)
    first, deep = [], []
    body = None
    for _i in range(n):
        status, elapsed, body = http.get(url, token=token)
        if status != 200:
            raise SystemExit(f"inbox answered {status}: {body}")
        first.append(elapsed)
    count, exact, cursor, pages = body["count"], body["count_exact"], body["next"], 0
    while cursor and pages < n:
        status, elapsed, page = http.get(f"{url}&cursor={cursor}", token=token)
        if status != 200:
            raise SystemExit(f"inbox page answered {status}: {page}")
        deep.append(elapsed)
        cursor, pages = page["next"], pages + 1
    return {
        "count": f"{count}{'' if exact else '+'}",
        "first_page_p50_ms": round(percentile(first, 50) * 1000, 1),
        "first_page_p95_ms": round(percentile(first, 95) * 1000, 1),
        "deep_pages": pages,
        "deep_rows": pages * 20,
        "deep_page_p50_ms": round(percentile(deep, 50) * 1000, 1) if deep else None,
        "deep_page_p95_ms": round(percentile(deep, 95) * 1000, 1) if deep else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the database for the inbox")
    parser.add_argument("--skip-intake", action="store_true", help="measure only the inboxes")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run (with --skip-intake)")
    args = parser.parse_args()
    rng = random.Random(1)
    log(f"machine: {machine()}")
    if args.reuse:  # the database of an earlier run, already holding its cases: measure again only
        os.environ.update(environment(args.db))
        if args.db != "postgres":
            os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(REPO))
        import django

        django.setup()
        fixture = None
    else:
        prepare(args.db)
        fixture = build_fixture()
    from gongzhi.appeals.models import Appeal

    result: dict = {"db": args.db, "machine": machine(), "threads": args.threads, "seconds": args.seconds}
    with Serve(args.db) as server:
        tokens = {u: Http(server.port).token(u, PASSWORD) for u in ("resident", "dept", "street", "secretary")}
        # warm-up, one request at a time: jieba's dictionary and the installed triage model are loaded in both
        # workers before anything is measured
        for _round in range(0 if args.skip_intake else 3):
            for text in TEXTS:
                status, _elapsed = request(
                    Http(server.port), "POST", "/api/v1/appeals", {"text": text}, tokens["resident"], {}
                )
                if status != 201:
                    log(f"  warm-up answered {status}")

        def health(n, i):
            return "GET", "/api/v1/health", None, None, {}

        def intake(n, i):
            body = {"text": TEXTS[(n + i) % len(TEXTS)]}
            return "POST", "/api/v1/appeals", body, tokens["resident"], {"Idempotency-Key": uuid.uuid4().hex}

        def measure(label: str) -> None:
            before = Appeal.objects.count()
            log(f"health ({label}) …")
            health_run = load(server.port, threads=args.threads, seconds=args.seconds, make_request=health)
            log(f"  {health_run}")
            log(f"intake ({label}) …")
            intake_run = load(server.port, threads=args.threads, seconds=args.seconds, make_request=intake)
            intake_run["cases_created"] = Appeal.objects.count() - before
            log(f"  {intake_run}")
            result[f"health_{label}"], result[f"intake_{label}"] = health_run, intake_run
            result[f"intake_to_health_{label}"] = round(intake_run["per_second"] / health_run["per_second"], 3)
            result[f"load_average_{label}"] = [round(x, 1) for x in os.getloadavg()]

        if not args.skip_intake:
            measure("empty")
        if args.cases:
            if fixture is not None:
                log(f"writing {args.cases:,} cases …")
                t0 = time.perf_counter()
                bulk_cases(args.cases, fixture, rng)
                result["bulk_seconds"] = round(time.perf_counter() - t0, 1)
            result["cases"] = Appeal.objects.count()
            for name, user, kind in (("department", "dept", "handler"), ("street", "street", "handler"),
                                     ("community", "secretary", "handler"), ("street_triage", "street", "triage")):
                result[f"inbox_{name}"] = inbox(server.port, tokens[user], kind)
                log(f"  inbox {name}: {result[f'inbox_{name}']}")
            if not args.skip_intake:
                measure(f"{args.cases // 1000}k")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
