"""Ledger tools.

``gongzhi ledger verify [--community ID] [--account ID …]`` — check hash chains, balances and zero sums. Exits 0
when the book is intact; otherwise prints one line per problem, naming the account and entry, and exits 1.

``gongzhi ledger sweep-events [--community ID] [--days N]`` — award the points of events (meeting sign-ins,
confirmed volunteer hours, well-rated proposals) per each community's published list; safe to repeat.

``gongzhi ledger expire-vouchers [--community ID]`` — take back unspent care vouchers of ended years; safe to repeat.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from gongzhi.ledger.enums import SWEEP_DAYS
from gongzhi.ledger.models import Account
from gongzhi.ledger.services.events import sweep_events
from gongzhi.ledger.services.vouchers import expire_vouchers
from gongzhi.ledger.verify import verify_ledger
from gongzhi.registry.models import Place


class Command(BaseCommand):
    help = "Ledger tools. verify: check every account's hash chain, running balance and every zero sum."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the book; exit 1 on any problem")
        verify.add_argument("--community", type=int, default=None, help="only this community (place id)")
        verify.add_argument("--account", type=int, action="append", default=None, help="only these accounts")

        sweep = sub.add_parser("sweep-events", help="award points for events per the published lists (idempotent)")
        sweep.add_argument("--community", type=int, default=None, help="only this community (place id)")
        sweep.add_argument("--days", type=int, default=SWEEP_DAYS, help=f"look back N days (default {SWEEP_DAYS})")
        expire = sub.add_parser("expire-vouchers", help="take back unspent care vouchers of years that have ended")
        expire.add_argument("--community", type=int, default=None, help="only this community (place id)")

    def handle(self, *args, action: str, **options):
        if action == "verify":
            self.verify(community_id=options["community"], account_ids=options["account"])
        elif action == "sweep-events":
            if options["days"] < 1:
                raise CommandError("--days must be at least 1")
            report = sweep_events(community_id=options["community"], days=options["days"])
            for line in report.lines():
                self.stdout.write(f"ledger sweep-events: {line}")
        elif action == "expire-vouchers":
            community = None
            if options["community"] is not None:
                community = Place.objects.filter(pk=options["community"]).first()
                if community is None:
                    raise CommandError(f"no place {options['community']}")
            done = expire_vouchers(community=community, actor=None)
            self.stdout.write(f"ledger expire-vouchers: {done['grants']} grants ended, "
                              f"{done['amount'] / 100:.2f} yuan of vouchers taken back")

    def verify(self, *, community_id, account_ids):
        started = time.perf_counter()
        report = verify_ledger(community_id=community_id, account_ids=account_ids)
        seconds = time.perf_counter() - started
        names = {a.pk: str(a) for a in Account.objects.filter(
            pk__in={p.account_id for p in report.problems if p.account_id})
            .select_related("household__building__parent", "resident", "unit")}
        for problem in report.problems:
            label = f" «{names[problem.account_id]}»" if problem.account_id in names else ""
            self.stderr.write(f"TAMPERED {problem}{label}")
        summary = (f"{report.accounts} accounts, {report.entries} entries, {report.transactions} transactions "
                   f"checked in {seconds:.2f}s")
        if not report.ok:
            raise CommandError(f"ledger verify: {len(report.problems)} problem(s); {summary}")
        self.stdout.write(f"ledger verify: OK; {summary}")
