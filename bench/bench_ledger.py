"""Ledger benchmark: transfers per second with concurrent writers, against a plain-insert baseline, and the
time of ``gongzhi ledger verify`` over the entries written.

    .venv/bin/python bench/bench_ledger.py                       # SQLite file in a temporary directory
    .venv/bin/python bench/bench_ledger.py --database postgres://USER:PASS@localhost/gongzhi_bench_ledger

Each writer is an OS process (production settings: WAL and BEGIN IMMEDIATE on SQLite, row locks on
PostgreSQL). The same processes run three phases, each started together through a gate:

  baseline   every writer inserts rows into a one-column table, one transaction per row (a plain insert)
  same       every writer posts 1-point transfers between the SAME two accounts (worst contention)
  different  every writer posts 1-point transfers between its OWN two accounts (no shared rows)

A transfer is the full posting path: idempotency check, locks, balance and floor checks, two hash-chained
entries, two balance updates, the database's seal check. The ratio is transfers/s ÷ plain inserts/s.
The PostgreSQL database is emptied (schema dropped) first: give it a database of its own.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PHASES = ("baseline", "same", "different")


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.ledger.race_settings")
    import django

    django.setup()


def setup(writers: int) -> dict:
    """Fresh schema (tables from the models, the ledger's triggers), the accounts each phase uses."""
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", run_syncdb=True, verbosity=0)
    from tests.ledger.race import _install_guards

    _install_guards()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)"
                       if connection.vendor == "sqlite" else
                       "CREATE TABLE bench_plain (id BIGSERIAL PRIMARY KEY, writer INTEGER NOT NULL)")
    from tests.factories.ledger import fund_household
    from tests.factories.registry import make_household, make_tree

    with transaction.atomic():
        tree = make_tree()
        shared = [fund_household(make_household(tree.buildings["A1-1"]), 10**9).pk,
                  fund_household(make_household(tree.buildings["A1-1"]), 10**9).pk]
        own = [[fund_household(make_household(tree.buildings["A1-2"]), 10**9).pk,
                fund_household(make_household(tree.buildings["A1-2"]), 10**9).pk] for _ in range(writers)]
    return {"shared": shared, "own": own}


def synthesize(entries: int, households: int = 200) -> None:
    """Write ``entries`` more entries fast (bulk inserts, hashes computed here): issuance → households, one
    point each. A valid book, so verify has real work; the posting path is measured by the phases above."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from gongzhi.ledger.chain import entry_hash
    from gongzhi.ledger.models import Account, Entry, Transaction
    from gongzhi.ledger.services import posting
    from tests.factories.registry import make_household

    rng = random.Random(7)
    building = Account.objects.filter(kind="household").select_related("household__building").first()
    community = building.community
    with transaction.atomic():
        targets = [posting.household_account(make_household(building.household.building))
                   for _ in range(households)]
        issuance = posting.system_account(community, "issuance", "points")
        state = {a.pk: [a.balance, a.entry_count, a.head_hash] for a in [issuance, *targets]}
        now = timezone.now()
        for start in range(0, entries // 2, 5000):
            n = min(5000, entries // 2 - start)
            txs = Transaction.objects.bulk_create(
                Transaction(community=community, kind="award", idempotency_key=f"synth:{start + i}", created_at=now)
                for i in range(n))
            rows = []
            for tx in txs:
                target = rng.choice(targets)
                for account_id, amount in sorted(((issuance.pk, -1), (target.pk, 1))):
                    balance, count, head = state[account_id]
                    balance, count = balance + amount, count + 1
                    digest = entry_hash(prev_hash=head, account_id=account_id, seq=count, transaction_id=tx.pk,
                                        tx_kind="award", idempotency_key=tx.idempotency_key, currency="points",
                                        amount=amount, balance_after=balance, created_at=now)
                    rows.append(Entry(transaction=tx, account_id=account_id, currency="points", amount=amount,
                                      balance_after=balance, seq=count, created_at=now, prev_hash=head, hash=digest))
                    state[account_id] = [balance, count, digest]
            Entry.objects.bulk_create(rows, batch_size=2000)
            Transaction.objects.filter(pk__in=[t.pk for t in txs]).update(sealed=True)
        for account_id, (balance, count, head) in state.items():
            Account.objects.filter(pk=account_id).update(balance=balance, entry_count=count, head_hash=head)


def _wait(gate: Path, phase: str) -> None:
    (gate / f"ready.{phase}.{os.getpid()}").touch()
    deadline = time.monotonic() + 600  # an orphan (the parent died) gives up instead of waiting forever
    while not (gate / f"go.{phase}").exists():
        if time.monotonic() > deadline:
            raise SystemExit("the gate never opened")
        time.sleep(0.002)


def worker(index: int, count: int, gate: Path, accounts: dict) -> dict:
    from django.db import connection, transaction

    from gongzhi.ledger.models import Account
    from gongzhi.ledger.services import posting

    shared = list(Account.objects.filter(pk__in=accounts["shared"]).order_by("pk"))
    own = list(Account.objects.filter(pk__in=accounts["own"][index]).order_by("pk"))
    community = shared[0].community
    seconds = {}
    _wait(gate, "baseline")
    started = time.perf_counter()
    for _ in range(count):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_plain (writer) VALUES (%s)", [index])
    seconds["baseline"] = time.perf_counter() - started
    for phase, (source, target) in (("same", shared), ("different", own)):
        _wait(gate, phase)
        started = time.perf_counter()
        for _ in range(count):
            posting.post(community=community, kind="transfer", legs=[(source, -1), (target, 1)], actor=None)
        seconds[phase] = time.perf_counter() - started
    connection.close()
    return seconds


def _open(gate: Path, phase: str, writers: int) -> float:
    while len(list(gate.glob(f"ready.{phase}.*"))) < writers:
        time.sleep(0.005)
    (gate / f"go.{phase}").touch()
    return time.perf_counter()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default="", help="DATABASE_URL (default: a fresh SQLite file)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--count", type=int, default=300, help="operations per writer per phase")
    parser.add_argument("--verify-entries", type=int, default=100_000,
                        help="entries to add (bulk) before timing verify")
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--gate", default="", help=argparse.SUPPRESS)
    parser.add_argument("--accounts", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.gate and args.worker is None:
        raise SystemExit("--gate is for worker processes only")  # never let a child start a bench of its own
    if args.worker is not None:
        _django()
        print(json.dumps(worker(args.worker, args.count, Path(args.gate), json.loads(args.accounts))))
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    os.environ["DATABASE_URL"] = args.database or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["GONGZHI_DATA_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.ledger.race_settings"
    _django()
    from django.db import connection

    accounts = setup(args.writers)
    gate = tmp / "gate"
    gate.mkdir()
    command = [sys.executable, __file__, "--count", str(args.count), "--gate", str(gate),
               "--accounts", json.dumps(accounts)]
    procs = [subprocess.Popen([*command, "--worker", str(i)],  # noqa: S603 - this very script, our arguments
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())
             for i in range(args.writers)]
    wall = {}
    for phase in PHASES:
        started = _open(gate, phase, args.writers)
        if phase != PHASES[-1]:
            nxt = PHASES[PHASES.index(phase) + 1]
            while len(list(gate.glob(f"ready.{nxt}.*"))) < args.writers:
                time.sleep(0.002)
        else:
            for p in procs:
                p.wait()
        wall[phase] = time.perf_counter() - started
    results = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(err[-3000:])
        results.append(json.loads(out.strip().splitlines()[-1]))

    from gongzhi.ledger.models import Account, Entry
    from gongzhi.ledger.verify import verify_ledger

    total = args.writers * args.count
    rate = {phase: total / wall[phase] for phase in PHASES}
    shared = list(Account.objects.filter(pk__in=accounts["shared"]).order_by("pk").values_list("balance", flat=True))
    assert shared == [10**9 - total, 10**9 + total], "lost or doubled transfers"
    if args.verify_entries:
        synthesize(args.verify_entries)
    started = time.perf_counter()
    report = verify_ledger()
    verify_seconds = time.perf_counter() - started
    summary = {
        "database": connection.vendor, "writers": args.writers, "per_writer": args.count,
        "plain_inserts_per_s": round(rate["baseline"]),
        "transfers_per_s_same_accounts": round(rate["same"]),
        "transfers_per_s_different_accounts": round(rate["different"]),
        "ratio_same": round(rate["same"] / rate["baseline"], 3),
        "ratio_different": round(rate["different"] / rate["baseline"], 3),
        "verify_entries": Entry.objects.count(), "verify_seconds": round(verify_seconds, 2),
        "verify_ok": report.ok, "shared_balances": shared,
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
