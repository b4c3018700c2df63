"""Registry of ledger importers, discovered from ``<app>/importers.py`` modules (``IMPORTERS`` dicts)."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps

from .tabular import ImportReport


@dataclass(frozen=True)
class Importer:
    label: str
    # run(actor=User, source=path|bytes|file, mode="all_or_nothing"|"valid_only", unit=str|None)
    #     -> ImportReport
    run: Callable[..., ImportReport]
    # Extra keyword arguments ``run`` accepts (e.g. {"dry_run", "create_places"}); the command passes them
    # only when given, and refuses a flag the importer does not support.
    options: frozenset[str] = frozenset()


def all_importers() -> dict[str, Importer]:
    found: dict[str, Importer] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("gongzhi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.importers")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.importers":
                continue
            raise
        found.update(getattr(module, "IMPORTERS", {}))
    return found
