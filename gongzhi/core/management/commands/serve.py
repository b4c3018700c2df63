"""gongzhi serve — the production web server: gunicorn on ``gongzhi.wsgi``, static files by whitenoise.

    gongzhi serve                                   # http://127.0.0.1:8000/, 2 x cores + 1 workers
    gongzhi serve --host 0.0.0.0 --port 8080 --workers 4

Before starting it collects static files into GONGZHI_DATA_DIR/static when they are missing or older than
the sources (so a fresh install just works), and warns about unapplied migrations. The access log never
holds query strings, referrers or cookies (searches by name, phone or ID number travel in query strings),
and ID and phone numbers are masked in every line gunicorn writes.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from gongzhi.core.masking import redact_identifiers
from gongzhi.core.redaction import RedactPersonalData

MAX_DEFAULT_WORKERS = 9
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Request/response headers that may appear in a custom access-log format; every other header and all
# environ atoms are dropped (they can carry cookies, tokens or the raw query string).
_KEPT_HEADER_ATOMS = {"{user-agent}i", "{host}i", "{x-forwarded-for}i", "{x-request-id}i",
                      "{content-type}o", "{content-length}o"}


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def loggable_url(url: str) -> str:
    """The part of a URL that may be logged: no query string, no fragment, ID and phone numbers masked."""
    return redact_identifiers(url.split("?", 1)[0].split("#", 1)[0])


class PrivacyLogger(Logger):
    """gunicorn's logger: an access log that cannot leak personal data from URLs or headers, and ID and
    phone numbers masked in gunicorn's own lines too (Django's handlers get the same filter from settings)."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in [*self.error_log.handlers, *self.access_log.handlers]:
            handler.addFilter(RedactPersonalData())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = loggable_url(atoms["U"] or "")
        atoms.update(U=path, q="-", r=f"{atoms['m']} {path} {atoms['H']}")
        atoms["f"] = loggable_url(atoms["f"]) if atoms["f"] != "-" else "-"
        for key in [k for k in atoms if k.startswith("{") and k not in _KEPT_HEADER_ATOMS]:
            del atoms[key]
        return atoms


def _print_address(arbiter) -> None:
    for listener in arbiter.LISTENERS:
        host, port = listener.sock.getsockname()[:2]
        if host in ("0.0.0.0", "::"):  # noqa: S104 - reporting the bind, not choosing it
            print(f"Gongzhi is listening on all interfaces, port {port}.", flush=True)
            host = "127.0.0.1"
        shown = f"[{host}]" if ":" in host else host
        print(f"Gongzhi is running. Open http://{shown}:{port}/ in a browser (Ctrl+C stops it).", flush=True)


class GongzhiServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self):
        from gongzhi.wsgi import application

        return application


def static_fingerprint() -> str:
    """A digest of every static source file's name, size and modification time."""
    from django.contrib.staticfiles.finders import get_finders

    entries = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    entries.append(settings.STORAGES["staticfiles"]["BACKEND"])
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


class Command(BaseCommand):
    help = "Run Gongzhi with gunicorn (the production server), static files served by whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help=f"worker processes (default 2 x cores + 1, at most {MAX_DEFAULT_WORKERS})")
        parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1)")
        parser.add_argument("--timeout", type=int, default=120,
                            help="seconds before a busy worker is restarted (default 120: exports take time)")
        parser.add_argument("--no-collectstatic", action="store_false", dest="collectstatic",
                            help="do not collect static files (they were collected at deploy time)")

    def handle(self, *args, host, port, workers, threads, timeout, collectstatic, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        if not 0 <= port <= 65535:
            raise CommandError("--port must be between 0 and 65535")
        if collectstatic:
            self.collect_static_if_outdated()
        self.warn_about_migrations()
        connections.close_all()  # workers fork from this process; they open their own connections

        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        GongzhiServer({
            "bind": [bind],
            "workers": workers,
            "threads": threads,
            "timeout": timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": 2000,
            "max_requests_jitter": 200,
            "preload_app": True,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": f"{__name__}.PrivacyLogger",
            "errorlog": "-",
            "proc_name": "gongzhi",
            "when_ready": _print_address,
            "control_socket_disable": True,  # gunicorn >= 25: one shared socket path would clash
        }).run()

    def collect_static_if_outdated(self) -> None:
        root = Path(settings.STATIC_ROOT)
        stamp = root / ".gongzhi-source-fingerprint"
        fingerprint = static_fingerprint()
        manifest = root / "staticfiles.json"
        uses_manifest = "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
        if (not uses_manifest or manifest.exists()) and stamp.exists() and stamp.read_text() == fingerprint:
            return
        self.stdout.write(f"Collecting static files into {root} …")
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)

    def warn_about_migrations(self) -> None:
        from django.db.migrations.executor import MigrationExecutor

        try:
            executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise CommandError(f"Cannot reach the database: {exc}") from None
        if plan:
            self.stderr.write(self.style.WARNING(
                f"{len(plan)} migration(s) not applied yet: run `gongzhi migrate` first, "
                "or pages will fail."
            ))
