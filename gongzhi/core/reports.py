"""Registry of printable reports, discovered from ``<app>/reports.py`` modules.

Each app may define ``REPORTS = {"kind": Report(help, add_arguments, run)}``; ``gongzhi report KIND …``
dispatches to it. ``add_arguments(parser)`` adds the kind's options; ``run(options, stdout)`` does the work.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps


@dataclass(frozen=True)
class Report:
    help: str
    add_arguments: Callable
    run: Callable


def all_reports() -> dict[str, Report]:
    found: dict[str, Report] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("gongzhi."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.reports")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.reports":
                continue
            raise
        found.update(getattr(module, "REPORTS", {}))
    return found
