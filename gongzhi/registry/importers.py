"""Ledger importers of the registry, found by ``gongzhi import`` (see gongzhi.core.importers)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core.importers import Importer
from gongzhi.core.tabular import ImportReport


def run_residents(*, actor, source, mode: str = "all_or_nothing", unit=None, dry_run: bool = False,
                  create_places: bool = False) -> ImportReport:
    from .importing import import_residents

    return import_residents(actor=actor, source=source, unit=unit, mode=mode, dry_run=dry_run,
                            create_places=create_places)


IMPORTERS = {
    "residents": Importer(label=_("resident ledger"), run=run_residents,
                          options=frozenset({"dry_run", "create_places"})),
}
