"""gongzhi report KIND [options] — e.g. `report monthly --unit U --month 2026-10 --out FILE`,
`report top-problems --unit U --year 2026`. Kinds come from apps' reports.py (gongzhi.core.reports)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.errors import DomainError
from gongzhi.core.reports import all_reports


class Command(BaseCommand):
    help = "Print or write a report. Run `gongzhi report KIND --help` for a kind's options."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("rest", nargs=argparse.REMAINDER)

    def handle(self, *args, kind, rest, **options):
        reports = all_reports()
        if kind not in reports:
            raise CommandError(f"unknown report {kind!r}; known: {', '.join(sorted(reports)) or 'none'}")
        report = reports[kind]
        parser = argparse.ArgumentParser(prog=f"gongzhi report {kind}", description=report.help)
        report.add_arguments(parser)
        parsed = parser.parse_args(rest)
        try:
            report.run(parsed, self.stdout)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
