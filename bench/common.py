"""Shared pieces of the benchmarks: environments, seeding, a real server, timing.

Every benchmark runs the application as it runs in production: ``gongzhi`` commands in subprocesses and
``gunicorn gongzhi.wsgi`` bound to 127.0.0.1, talked to over HTTP with keep-alive. Data lives outside the
checkout: SQLite under /tmp/gz-bench-sqlite-<N> (GONGZHI_DATA_DIR), PostgreSQL in the database
``gongzhi_bench`` (role ``gongzhi_bench``) of the local cluster.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = str(REPO / ".venv" / "bin" / "python") if (REPO / ".venv" / "bin" / "python").exists() else sys.executable
PG_NAME = "gongzhi_bench"
PG_URL = os.environ.get("GONGZHI_BENCH_PG_URL",
                        f"postgresql://{PG_NAME}:{PG_NAME}@127.0.0.1:5432/{PG_NAME}")
# Fixed keys so the seeding subprocess, the server and the sampling in the benchmark agree.
BENCH_KEYS = {"GONGZHI_SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
              "GONGZHI_DATA_KEY": "bench-data-key-not-for-production-0123456789"}


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, " \
           f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"


def data_dir(db: str, communities: int) -> Path:
    return Path(f"/tmp/gz-bench-{db}-{communities}")  # noqa: S108 - benchmark scratch data, by design


def environment(db: str, communities: int) -> dict[str, str]:
    env = {**os.environ, **BENCH_KEYS, "DJANGO_SETTINGS_MODULE": "gongzhi.settings",
           "GONGZHI_DATA_DIR": str(data_dir(db, communities)), "GONGZHI_LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(REPO)}
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    return env


def use_environment(db: str, communities: int) -> None:
    """Point this process (for sampling with the ORM) at the benchmark's database."""
    env = environment(db, communities)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _psql(sql: str, database: str = "postgres") -> str:
    cmd = ["psql", "-v", "ON_ERROR_STOP=1", "-tAc", sql, database]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603


def ensure_postgres(*, fresh: bool) -> None:
    """Start the local cluster if needed and (re)create the benchmark role and database."""
    try:
        _psql("SELECT 1")
    except (subprocess.CalledProcessError, FileNotFoundError):
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=True)  # noqa: S603, S607
        time.sleep(2)
    # PG_NAME is a constant of this module: no input reaches these statements.
    if _psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{PG_NAME}'") != "1":  # noqa: S608
        _psql(f"CREATE ROLE {PG_NAME} LOGIN PASSWORD '{PG_NAME}'")
    exists = _psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_NAME}'") == "1"  # noqa: S608
    if exists and fresh:
        _psql(f"DROP DATABASE {PG_NAME} WITH (FORCE)")
        exists = False
    if not exists:
        _psql(f"CREATE DATABASE {PG_NAME} OWNER {PG_NAME}")


def prepare_database(db: str, communities: int, *, fresh: bool) -> None:
    if db == "postgres":
        ensure_postgres(fresh=fresh)
    elif fresh:
        shutil.rmtree(data_dir(db, communities), ignore_errors=True)
    gongzhi(db, communities, "migrate", "-v", "0")


def gongzhi(db: str, communities: int, *args: str, stream: bool = False) -> str:
    """Run a gongzhi command against the benchmark database; returns stdout (stderr streams through)."""
    proc = subprocess.run([PYTHON, "-m", "gongzhi", *args], env=environment(db, communities), cwd=REPO,  # noqa: S603
                          stdout=subprocess.PIPE, stderr=None if stream else subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"gongzhi {' '.join(args)} failed:\n{proc.stderr or ''}")
    return proc.stdout


def seed_city(db: str, communities: int, *, seed: int = 1, reset: bool = False, apps: bool = True,
              build: int | None = None) -> tuple[dict, float]:
    """Seed the city profile into the database of the ``communities`` benchmark, building ``build`` communities
    (default: that many); returns the counts (the command's last stdout line) and the wall time."""
    args = ["seed", "--profile", "city", "--communities", str(build or communities), "--seed", str(seed)]
    if reset:
        args.append("--reset")
    if not apps:
        args.append("--skip-apps")
    started, cpu = time.perf_counter(), children_cpu()
    out = gongzhi(db, communities, *args, stream=True)
    elapsed = time.perf_counter() - started
    counts = json.loads(out.strip().splitlines()[-1])
    counts["cpu_seconds"] = round(children_cpu() - cpu, 1)
    return counts, elapsed


def children_cpu() -> float:
    """CPU seconds (user + system) of finished child processes: fairer than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """CPU seconds used so far by a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of unsorted values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn gongzhi.wsgi on 127.0.0.1 (never on a public interface), for the duration of a with-block."""

    def __init__(self, db: str, communities: int, *, workers: int = 1):
        self.db, self.communities, self.workers = db, communities, workers
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        cmd = [PYTHON, "-m", "gunicorn", "gongzhi.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
               "--workers", str(self.workers), "--threads", "1", "--log-level", "warning",
               "--timeout", "120"]
        self.proc = subprocess.Popen(cmd, env=environment(self.db, self.communities), cwd=REPO)  # noqa: S603
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                status, _, _ = Http(self.port).get("/api/v1/health")
                if status == 200:
                    self.worker_pid = self._worker()
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not start")

    def _worker(self) -> int:
        """The pid of gunicorn's (single) worker, whose CPU time is read per query kind."""
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                return int(stat.parent.name)
        return self.proc.pid

    def __exit__(self, *exc) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@dataclass
class Http:
    """One keep-alive HTTP connection; ``get`` returns (status, seconds, parsed JSON body)."""

    port: int

    def __post_init__(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        elapsed = time.perf_counter() - started
        return response.status, elapsed, json.loads(raw) if raw else None

    def get(self, path: str, token: str | None = None):
        return self.request("GET", path, token=token)

    def token(self, username: str, password: str = "gongzhi-demo") -> str:  # noqa: S107 - demo password
        status, _, body = self.request("POST", "/api/v1/auth/token", {"username": username, "password": password})
        if status != 200:
            raise SystemExit(f"cannot log in as {username}: {status} {body}")
        return body["token"]
