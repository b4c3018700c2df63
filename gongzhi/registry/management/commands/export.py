"""gongzhi export residents --unit U --out FILE — residents under a place as an Excel workbook.

Masked unless ``--unmasked --reason R`` is given and the acting user (``--user``) holds
registry.export_residents_unmasked on the place. Every export is audited.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.errors import DomainError

KINDS = ("residents",)


class Command(BaseCommand):
    help = "Export residents under a place to xlsx (masked unless --unmasked with --reason)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--unit", required=True, help="place id (or path, or name) to export")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument("--user", default="admin", help="acting user (username)")
        parser.add_argument("--tag", default="", help="only residents with this tag (e.g. living_alone)")
        parser.add_argument("--include-archived", action="store_true", help="also residents moved out")
        parser.add_argument("--unmasked", action="store_true",
                            help="full ID and phone numbers (needs the right and --reason)")
        parser.add_argument("--reason", default="", help="why full numbers are needed (audited)")

    def handle(self, *args, kind, unit, out, user, tag, include_archived, unmasked, reason, **options):
        from gongzhi.accounts.models import User
        from gongzhi.registry.exporting import export_residents
        from gongzhi.registry.importing import resolve_unit

        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no user {user!r}") from None
        try:
            place = resolve_unit(actor, unit)
            export = export_residents(actor=actor, place=place, tag=tag, unmasked=unmasked, reason=reason,
                                    include_archived=include_archived)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        path = Path(out)
        try:
            # Full numbers: readable by the owner only, from the first byte written.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if unmasked else 0o644)
            with os.fdopen(fd, "wb") as fh:
                fh.write(export.content)
        except OSError as exc:
            raise CommandError(f"cannot write {out}: {exc.strerror}") from None
        self.stdout.write(json.dumps({"file": str(path), "rows": export.rows, "unmasked": unmasked},
                                     ensure_ascii=False))
