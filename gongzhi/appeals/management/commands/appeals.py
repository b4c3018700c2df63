"""gongzhi appeals tick — reminders, escalation of overdue cases and outbox delivery (run from cron)."""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Appeals maintenance. Subcommands: tick (remind, escalate overdue, deliver notifications)."

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["tick"])

    def handle(self, *args, subcommand, **options):
        from gongzhi.appeals.services import tick

        self.stdout.write(json.dumps(tick(), ensure_ascii=False))
