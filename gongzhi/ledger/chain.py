"""The hash chain of an account's entries: SHA-256 over canonical fields and the previous entry's hash.

Canonical form (version 1): the fields below joined by the unit separator U+001F, UTF-8 encoded. Times are
UTC with microseconds, so the value read back from SQLite or PostgreSQL hashes the same as the value written.
Anyone holding the rows can recompute the chain; a published head hash (funds' public statements show it)
lets outsiders detect a rewritten history.
"""

import datetime as dt
import hashlib

GENESIS = "0" * 64
VERSION = "v1"


def canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    prev_hash: str,
    account_id: int,
    seq: int,
    transaction_id: int,
    tx_kind: str,
    idempotency_key: str,
    currency: str,
    amount: int,
    balance_after: int,
    created_at: dt.datetime,
) -> str:
    fields = [
        VERSION, str(account_id), str(seq), str(transaction_id), tx_kind, idempotency_key, currency,
        str(amount), str(balance_after), canonical_time(created_at), prev_hash,
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()
