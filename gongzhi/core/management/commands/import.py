"""gongzhi import KIND FILE — load an Excel/CSV ledger through the importer an app registers.

Apps register importers in ``<app>/importers.py`` as ``IMPORTERS = {"kind": Importer(...)}``; see
``gongzhi.core.importers``. The report's rejected rows go to stderr (the first 50; ``--report`` writes all of
them as JSON), the summary as one JSON line to stdout. The exit status is non-zero when nothing was written
because of rejected rows.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from gongzhi.core.errors import DomainError
from gongzhi.core.importers import all_importers
from gongzhi.core.tabular import MODES

# Flags that map to optional keyword arguments of an importer's run() (see Importer.options).
OPTION_FLAGS = {"dry_run": "--dry-run", "create_places": "--create-places"}


class Command(BaseCommand):
    help = "Import a ledger file (xlsx/csv). Kinds: see --help of each (residents, hotline, …)."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("file")
        parser.add_argument("--mode", choices=MODES, default="all_or_nothing",
                            help="all_or_nothing: any bad row rejects the file; valid_only: import good rows")
        parser.add_argument("--unit", help="place id (or path) imported into, where the kind needs one")
        parser.add_argument("--user", default="admin", help="acting user (username)")
        parser.add_argument("--report", help="write the row-level report (JSON) to this file")
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report what would happen, write nothing")
        parser.add_argument("--create-places", action="store_true",
                            help="residents: create missing estates/buildings named in the file")

    def handle(self, *args, kind, file, mode, unit, user, report, **options):
        from gongzhi.accounts.models import User

        importers = all_importers()
        if kind not in importers:
            raise CommandError(f"unknown kind {kind!r}; known: {', '.join(sorted(importers))}")
        importer = importers[kind]
        extra = {}
        for name, flag in OPTION_FLAGS.items():
            if options.get(name):
                if name not in importer.options:
                    raise CommandError(f"{flag} is not supported when importing {kind}")
                extra[name] = True
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"no user {user!r}") from None
        try:
            result = importer.run(actor=actor, source=file, mode=mode, unit=unit, **extra)
        except DomainError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        body = result.as_dict()
        if report:
            with open(report, "w", encoding="utf-8") as fh:
                json.dump(body, fh, ensure_ascii=False, indent=2)
        for err in result.errors[:50]:
            self.stderr.write(f"第{err.row}行 {err.column}: {err.reason}")
        if len(result.errors) > 50:
            more = len(result.errors) - 50
            self.stderr.write(f"… 另有 {more} 处错误" + ("（见 --report 文件）" if report else ""))
        summary = {k: v for k, v in body.items() if k != "errors"}
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if result.rejected and not result.committed and not extra.get("dry_run"):
            raise CommandError("nothing imported: fix the rows above or use --mode valid_only")
