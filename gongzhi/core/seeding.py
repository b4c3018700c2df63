"""The contract between ``gongzhi seed`` and the apps that add demo data.

``gongzhi seed`` builds the place tree, people, party and accounts (registry/seeding.py), then calls
``seed_demo(ctx)`` in every installed app that has a ``seeding`` module defining it, in INSTALLED_APPS
order. Each returns a dict of counts, merged into the JSON line the command prints last.
"""

import datetime as dt
import importlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps


@dataclass
class SeedContext:
    profile: str  # "junmen" or "city"
    rng: random.Random  # deterministic: seeded from --seed
    communities: list  # registry.Place rows of kind community that were built
    users: dict = field(default_factory=dict)  # demo accounts by username (junmen profile), e.g. "dept01"
    today: dt.date = field(default_factory=dt.date.today)
    log: Callable[[str], None] = print  # progress lines (stderr), never the final JSON


def app_seeders() -> Iterator[tuple[str, Callable[[SeedContext], dict]]]:
    for config in apps.get_app_configs():
        if not config.name.startswith("gongzhi.") or config.label == "registry":
            continue
        try:
            module = importlib.import_module(f"{config.name}.seeding")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.seeding":
                continue
            raise
        if hasattr(module, "seed_demo"):
            yield config.label, module.seed_demo
