"""gongzhi seed --profile junmen|city — demo and scale data.

    gongzhi seed --profile junmen                      军门社区 with demo accounts (password gongzhi-demo)
    gongzhi seed --profile city --communities 100      100 Junmen-sized communities (~1.3 M residents)

Progress goes to stderr; the last line on stdout is one JSON object with the counts. Running it again on a
seeded database changes nothing (it says so); ``--reset`` empties the whole database first.
"""

import datetime as dt
import json
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from gongzhi.registry.seeding import MAX_COMMUNITIES, PROFILES, run_seed


class Command(BaseCommand):
    help = "Build demo data (junmen) or scale data (city); prints the counts as JSON on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=PROFILES, default="junmen")
        parser.add_argument("--communities", type=int, default=None,
                            help=f"city profile: number of communities, 1..{MAX_COMMUNITIES} (default 10)")
        parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="fraction of the households to build (0 < scale <= 1), for quick tests")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="reference date for ages and dates (YYYY-MM-DD; default today)")
        parser.add_argument("--skip-apps", action="store_true",
                            help="build places, people, party and accounts only; skip the apps' seed_demo hooks")
        parser.add_argument("--reset", action="store_true",
                            help="empty the WHOLE database first (every table), then seed")

    def handle(self, *args, profile, communities, seed, scale, today, reset, skip_apps, **options):
        if profile == "junmen" and communities not in (None, 1):
            raise CommandError("--communities applies to --profile city only")
        if communities is None:
            communities = 10 if profile == "city" else 1
        if not 1 <= communities <= MAX_COMMUNITIES:
            raise CommandError(f"--communities must be between 1 and {MAX_COMMUNITIES}")
        if not 0 < scale <= 1:
            raise CommandError("--scale must be greater than 0 and at most 1")
        err = self.stderr

        def log(line: str) -> None:
            err.write(line)
            if hasattr(err, "flush"):
                err.flush()

        if reset:
            log("--reset: emptying the database")
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                # Inside an open transaction (a caller's, or a test's) PostgreSQL refuses to TRUNCATE tables
                # with deferred foreign-key checks still pending; run those checks now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            call_command("flush", interactive=False, verbosity=0)
        result = run_seed(profile=profile, seed=seed, communities=communities, scale=scale, today=today,
                          log=log, apps=not skip_apps)
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
        sys.stdout.flush()
