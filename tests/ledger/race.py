"""Race harness: several OS processes hit the same accounts and the same shop item at once.

    python -m tests.ledger.race setup                       → JSON with the ids the workers need
    python -m tests.ledger.race overdraw ACCOUNT N GATE      → N attempts to spend 10 points
    python -m tests.ledger.race order ITEM GATE RID,RID,…    → one order of 1 item per resident
    python -m tests.ledger.race check ACCOUNT ITEM           → JSON with balances, stock and verify result

Runs on DATABASE_URL with tests/ledger/race_settings.py. GATE is a directory: each worker announces itself
there and waits until the parent opens the gate (``open_gate``), so the attempts really overlap.
Used by tests/ledger/test_race_processes.py.
"""

import json
import os
import sys
import time
from pathlib import Path


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.ledger.race_settings")
    import django

    django.setup()


def _install_guards():
    import importlib

    from django.db import connection

    guards = importlib.import_module("gongzhi.ledger.migrations.0002_ledger_guards")
    statements = guards.SQLITE if connection.vendor == "sqlite" else guards.POSTGRES
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def setup(households: int = 30) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", run_syncdb=True, verbosity=0)
    _install_guards()
    with transaction.atomic():
        return _populate(households)


def _populate(households: int) -> dict:
    from gongzhi.accounts.services import create_user
    from gongzhi.ledger.services import posting, shop
    from tests.factories.ledger import fund_household
    from tests.factories.registry import make_household, make_resident, make_tree

    tree = make_tree()
    staff = create_user(username="race-staff", password=None)
    target = make_household(tree.buildings["A1-1"])
    overdraw = fund_household(target, 100)
    residents = []
    for i in range(households):
        household = make_household(tree.buildings["A1-2" if i % 2 else "A2-1"])
        resident = make_resident(household, name=f"居民{i}")
        fund_household(household, 100)
        residents.append(resident.pk)
    item = shop.create_item(community=tree.community_a, actor=staff, name="环保袋", currency="points", price=30,
                            stock=10)
    posting.system_account(tree.community_a, "sink", "points")
    posting.system_account(tree.community_a, "clearing", "points")
    return {"overdraw_account": overdraw.pk, "item": item.pk, "residents": residents}


def _wait(gate: str) -> None:
    """Say we are ready, then wait for the parent to open the gate, so all workers start together."""
    Path(gate, f"ready.{os.getpid()}").touch()
    go = Path(gate, "go")
    deadline = time.monotonic() + 120
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the gate never opened")
        time.sleep(0.005)


def open_gate(gate: str, workers: int, timeout: float = 120) -> None:
    """Parent side: wait until ``workers`` are ready, then let them all go."""
    deadline = time.monotonic() + timeout
    while len(list(Path(gate).glob("ready.*"))) < workers:
        if time.monotonic() > deadline:
            raise TimeoutError("workers did not get ready")
        time.sleep(0.01)
    Path(gate, "go").touch()


def overdraw(account_id: int, attempts: int, gate: str) -> dict:
    from django.db import connection

    from gongzhi.ledger.errors import InsufficientBalance
    from gongzhi.ledger.models import Account
    from gongzhi.ledger.services import posting

    account = Account.objects.get(pk=account_id)
    sink = posting.system_account(account.community, "sink", "points")
    outcome = {"ok": 0, "refused": 0, "errors": []}
    _wait(gate)
    for _ in range(attempts):
        try:
            posting.post(community=account.community, kind="order", legs=[(account, -10), (sink, 10)], actor=None)
            outcome["ok"] += 1
        except InsufficientBalance:
            outcome["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            outcome["errors"].append(repr(exc))
    connection.close()
    return outcome


def order(item_id: int, gate: str, resident_ids: list[int]) -> dict:
    from gongzhi.accounts.models import User
    from gongzhi.ledger.models import ShopItem
    from gongzhi.ledger.services import shop
    from gongzhi.registry.models import Resident

    item = ShopItem.objects.get(pk=item_id)
    actor = User.objects.get(username="race-staff")
    residents = list(Resident.objects.filter(pk__in=resident_ids))
    outcome = {"ok": 0, "refused": 0, "errors": []}
    _wait(gate)
    for resident in residents:
        try:
            shop.place_order(item=item, resident=resident, actor=actor, quantity=1)
            outcome["ok"] += 1
        except shop.OutOfStock:
            outcome["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test
            outcome["errors"].append(repr(exc))
    return outcome


def check(account_id: int, item_id: int) -> dict:
    from django.db.models import Sum

    from gongzhi.ledger.models import Account, ShopItem, ShopOrder
    from gongzhi.ledger.verify import verify_ledger

    report = verify_ledger()
    item = ShopItem.objects.get(pk=item_id)
    return {
        "overdraw_balance": Account.objects.get(pk=account_id).balance,
        "stock": item.stock,
        "orders": ShopOrder.objects.filter(item=item).count(),
        "household_points": Account.objects.filter(kind="household").aggregate(n=Sum("balance"))["n"],
        "clearing": Account.objects.get(kind="clearing", currency="points").balance,
        "verify_ok": report.ok,
        "problems": [str(p) for p in report.problems[:5]],
        "entries": report.entries,
    }


def main(argv: list[str]) -> None:
    _setup_django()
    command, args = argv[0], argv[1:]
    if command == "setup":
        result = setup()
    elif command == "overdraw":
        result = overdraw(int(args[0]), int(args[1]), args[2])
    elif command == "order":
        result = order(int(args[0]), args[1], [int(x) for x in args[2].split(",") if x])
    elif command == "check":
        result = check(int(args[0]), int(args[1]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
