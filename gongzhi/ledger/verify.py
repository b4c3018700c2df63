"""Checking the book against itself: hash chains, running balances, zero sums. Read-only.

Used by ``gongzhi ledger verify``. One pass over the entries in (account, seq) order, streamed; one
aggregate query for the per-transaction sums.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from .chain import GENESIS, entry_hash
from .models import Account, Entry, Transaction


@dataclass(frozen=True)
class Problem:
    message: str
    account_id: int | None = None
    entry_id: int | None = None
    seq: int | None = None
    transaction_id: int | None = None

    def __str__(self) -> str:
        where = []
        if self.account_id is not None:
            where.append(f"account {self.account_id}")
        if self.entry_id is not None:
            where.append(f"entry {self.entry_id} (seq {self.seq})")
        if self.transaction_id is not None:
            where.append(f"transaction {self.transaction_id}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Report:
    accounts: int = 0
    entries: int = 0
    transactions: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


_ENTRY_FIELDS = ("id", "account_id", "seq", "transaction_id", "transaction__kind", "transaction__idempotency_key",
                 "currency", "amount", "balance_after", "created_at", "prev_hash", "hash")


def verify_ledger(*, community_id: int | None = None, account_ids: list[int] | None = None,
                  chunk_size: int = 5000) -> Report:
    report = Report()
    accounts_qs = Account.objects.order_by("pk")
    entries_qs = Entry.objects.order_by("account_id", "seq")
    tx_qs = Transaction.objects.all()
    if community_id is not None:
        accounts_qs = accounts_qs.filter(community_id=community_id)
        entries_qs = entries_qs.filter(account__community_id=community_id)
        tx_qs = tx_qs.filter(community_id=community_id)
    if account_ids:
        accounts_qs = accounts_qs.filter(pk__in=account_ids)
        entries_qs = entries_qs.filter(account_id__in=account_ids)
        tx_qs = tx_qs.filter(entries__account_id__in=account_ids).distinct()
    accounts = {a.pk: a for a in accounts_qs.only("id", "currency", "floor", "balance", "entry_count", "head_hash")}
    report.accounts = len(accounts)

    state: dict[int, list] = {}  # account id → [expected seq, previous hash, running balance]
    add = report.problems.append
    for (entry_id, account_id, seq, tx_id, tx_kind, key, currency, amount, balance_after, created_at,
         prev_hash, digest) in entries_qs.values_list(*_ENTRY_FIELDS).iterator(chunk_size=chunk_size):
        report.entries += 1
        account = accounts.get(account_id)
        if account is None:
            continue
        expected_seq, previous, running = state.get(account_id, [1, GENESIS, 0])
        where = {"account_id": account_id, "entry_id": entry_id, "seq": seq}
        if seq != expected_seq:
            add(Problem(f"sequence gap: expected seq {expected_seq} (an entry was removed or inserted)", **where))
        if prev_hash != previous:
            add(Problem("previous-hash link broken", **where))
        if currency != account.currency:
            add(Problem(f"currency {currency} differs from the account's {account.currency}", **where))
        running += amount
        if balance_after != running:
            add(Problem(f"balance after is {balance_after}, the entries add up to {running}", **where))
        recomputed = entry_hash(prev_hash=prev_hash, account_id=account_id, seq=seq, transaction_id=tx_id,
                                tx_kind=tx_kind, idempotency_key=key, currency=currency, amount=amount,
                                balance_after=balance_after, created_at=created_at)
        if recomputed != digest:
            add(Problem("hash mismatch: the entry or its transaction was altered", **where))
        if account.floor is not None and balance_after < account.floor:
            add(Problem(f"balance {balance_after} below the hard floor {account.floor}", **where))
        state[account_id] = [seq + 1, digest, running]

    for account_id, account in accounts.items():
        next_seq, head, running = state.get(account_id, [1, GENESIS, 0])
        if account.balance != running:
            add(Problem(f"stored balance {account.balance} differs from the entries' sum {running}",
                        account_id=account_id))
        if account.entry_count != next_seq - 1:
            add(Problem(f"entry count {account.entry_count} differs from {next_seq - 1} entries found",
                        account_id=account_id))
        if account.head_hash != head:
            add(Problem("head hash differs from the last entry's hash (the newest entries were removed?)",
                        account_id=account_id))

    report.transactions = tx_qs.count()
    sums = (Entry.objects.filter(transaction__in=tx_qs.values("pk")).values("transaction_id", "currency")
            .annotate(total=Sum("amount")).filter(~Q(total=0)).order_by("transaction_id"))
    for row in sums:
        add(Problem(f"entries in {row['currency']} sum to {row['total']}, not zero",
                    transaction_id=row["transaction_id"]))
    for tx_id, n, sealed in (tx_qs.annotate(n=Count("entries")).filter(Q(n__lt=2) | Q(sealed=False))
                             .values_list("pk", "n", "sealed").order_by("pk")):
        add(Problem("not sealed" if not sealed else f"only {n} entries", transaction_id=tx_id))
    return report
