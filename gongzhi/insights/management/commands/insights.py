"""Insights tools.

``gongzhi insights rollup [--full]`` — fill the daily rollup (日汇总) the dashboard reads at scale.
``gongzhi insights install-standard`` — install the shipped star standard (达标创星, 13335 工作法); safe to repeat.
"""

import json
import time

from django.core.management.base import BaseCommand

from gongzhi.insights.rollup import run_rollup
from gongzhi.insights.stars import install_standard


class Command(BaseCommand):
    help = "Insights tools: rollup (daily pre-aggregation of appeals), install-standard (default star standard)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rollup = sub.add_parser("rollup", help="roll up the appeals changed since the last run")
        rollup.add_argument("--full", action="store_true", help="rebuild every day")
        sub.add_parser("install-standard", help="install the default star standard")

    def handle(self, *args, action: str, **options):
        if action == "rollup":
            started = time.perf_counter()
            result = run_rollup(full=options["full"])
            result["seconds"] = round(time.perf_counter() - started, 2)
            self.stdout.write(json.dumps(result))
        else:
            standard = install_standard()
            self.stdout.write(f"{standard.code}: {standard.indicators.count()} indicators")
