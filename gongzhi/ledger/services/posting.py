"""The one writer of the book: every movement of points, time coins or money is a call to ``post()``.

``post()`` locks the accounts it touches (``SELECT … FOR UPDATE`` in account-id order on PostgreSQL, so two
posts never deadlock; on SQLite the settings open every transaction with ``BEGIN IMMEDIATE``, which
serialises writers), checks hard limits, writes the entries with their hash chain, moves the cached
balances and seals the transaction. The database itself refuses an unbalanced seal, a balance below the
hard floor, and any change to an entry (migration 0002).
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import InvalidInput

from ..chain import entry_hash
from ..enums import ACCOUNT_FLOORS, KIND_CURRENCIES, AccountKind, Currency, TxKind
from ..errors import AlreadyReversed, IdempotencyConflict, IllegalState, InsufficientBalance, Unbalanced
from ..formatting import format_amount
from ..models import Account, Entry, Transaction

MAX_AMOUNT = 10**15  # a quadrillion fen; anything larger is a typing error

Legs = Sequence[tuple[Account, int]]


def _validate(legs: Legs) -> None:
    if len(legs) < 2:
        raise InvalidInput(_("A transaction needs at least two entries."))
    seen: set[int] = set()
    sums: dict[str, int] = defaultdict(int)
    for account, amount in legs:
        if account.pk is None:
            raise InvalidInput(_("The account does not exist."), field="account")
        if account.pk in seen:
            raise InvalidInput(_("An account appears twice in one transaction."), field="account")
        seen.add(account.pk)
        if type(amount) is not int or amount == 0 or abs(amount) > MAX_AMOUNT:
            raise InvalidInput(_("An amount must be a whole number, not zero."), field="amount")
        sums[account.currency] += amount
    for currency, total in sums.items():
        if total != 0:
            raise Unbalanced(currency)


def _same_legs(existing: Transaction, kind: str, legs: Legs) -> bool:
    stored = Counter((e.account_id, e.amount) for e in existing.entries.all())
    return existing.kind == kind and stored == Counter((a.pk, amount) for a, amount in legs)


def _soft_warnings(account: Account, before: int, after: int) -> list[str]:
    found = []
    if account.soft_floor is not None and after < account.soft_floor <= before:
        found.append(_("%(account)s is below its warning level of %(level)s.")
                     % {"account": account, "level": format_amount(account.currency, account.soft_floor)})
    if account.soft_ceiling is not None and after > account.soft_ceiling >= before:
        found.append(_("%(account)s is above its warning level of %(level)s.")
                     % {"account": account, "level": format_amount(account.currency, account.soft_ceiling)})
    return found


def post(
    *,
    community,
    kind: str,
    legs: Legs,
    actor,
    memo: str = "",
    idempotency_key: str = "",
    reverses: Transaction | None = None,
) -> Transaction:
    """Post one balanced transaction. The same ``idempotency_key`` with the same legs returns the first one.

    Raises InsufficientBalance when a debit would take an account below its hard floor (nothing is
    written), IdempotencyConflict when the key was used for different legs, Unbalanced/InvalidInput for
    malformed legs. Soft limits do not refuse: their messages are in ``transaction.warnings``.
    """
    _validate(legs)
    key = idempotency_key or f"auto:{uuid.uuid4().hex}"
    if idempotency_key:  # a fresh random key cannot have been used: skip the look-up
        existing = Transaction.objects.filter(idempotency_key=key).order_by().first()
        if existing is not None:
            if not _same_legs(existing, kind, legs):
                raise IdempotencyConflict()
            return existing
    try:
        with transaction.atomic():
            return _post(community=community, kind=kind, legs=legs, actor=actor, memo=memo, key=key,
                         reverses=reverses)
    except IntegrityError:
        existing = Transaction.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        if not _same_legs(existing, kind, legs):
            raise IdempotencyConflict() from None
        return existing


# The hot path in plain SQL: building ORM queries cost several times more than the database work. The
# column lists come from the models, so a renamed field cannot drift from these statements.
_TX_COLUMNS = ("community", "kind", "memo", "idempotency_key", "reverses", "actor", "created_at", "sealed",
               "warnings")
_ENTRY_COLUMNS = ("transaction", "account", "currency", "amount", "balance_after", "seq", "created_at", "prev_hash",
                  "hash")


def _insert_sql(model, names) -> tuple[str, list]:
    fields = [model._meta.get_field(n) for n in names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})", fields  # noqa: S608 - names from the model


_LOCK_SQL = ("SELECT id, balance, entry_count, head_hash, floor FROM ledger_account WHERE id IN ({}) ORDER BY id"
             "{}")


def _post(*, community, kind, legs: Legs, actor, memo, key, reverses) -> Transaction:
    by_id = {a.pk: a for a, _amount in legs}
    ids = sorted(by_id)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite: BEGIN IMMEDIATE
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SQL.format(", ".join(["%s"] * len(ids)), lock), ids)
        rows = {r[0]: list(r[1:]) for r in cursor.fetchall()}
    if len(rows) != len(ids):
        raise InvalidInput(_("The account does not exist."), field="account")
    ordered = sorted(legs, key=lambda leg: leg[0].pk)
    warnings: list[str] = []
    for account, amount in ordered:  # refuse before writing anything
        balance, _count, _head, floor = rows[account.pk]
        account.balance = balance  # the caller's object shows the locked, current balance in messages
        if amount < 0 and floor is not None and balance + amount < floor:
            raise InsufficientBalance(account, -amount)
        warnings += _soft_warnings(account, balance, balance + amount)
    now = timezone.now()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    values = {"community": community.pk, "kind": kind, "memo": memo[:200], "idempotency_key": key,
              "reverses": reverses.pk if reverses else None, "actor": actor.pk if is_user else None,
              "created_at": now, "sealed": False, "warnings": warnings}
    sql, fields = _insert_sql(Transaction, _TX_COLUMNS)
    entry_sql, entry_fields = _insert_sql(Entry, _ENTRY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(sql + " RETURNING id", [f.get_db_prep_save(values[f.name], connection) for f in fields])
        tx_id = cursor.fetchone()[0]
        entries = []
        for account, amount in ordered:
            balance, count, head, _floor = rows[account.pk]
            after, seq = balance + amount, count + 1
            digest = entry_hash(prev_hash=head, account_id=account.pk, seq=seq, transaction_id=tx_id, tx_kind=kind,
                                idempotency_key=key, currency=account.currency, amount=amount, balance_after=after,
                                created_at=now)
            entry = {"transaction": tx_id, "account": account.pk, "currency": account.currency, "amount": amount,
                     "balance_after": after, "seq": seq, "created_at": now, "prev_hash": head, "hash": digest}
            entries.append([f.get_db_prep_save(entry[f.name], connection) for f in entry_fields])
            rows[account.pk] = [after, seq, digest, _floor]
            account.balance, account.entry_count, account.head_hash = after, seq, digest
        cursor.executemany(entry_sql, entries)
        cursor.executemany("UPDATE ledger_account SET balance = %s, entry_count = %s, head_hash = %s WHERE id = %s",
                           [(r[0], r[1], r[2], pk) for pk, r in rows.items()])
        cursor.execute("UPDATE ledger_transaction SET sealed = %s WHERE id = %s", [True, tx_id])
    tx = Transaction(pk=tx_id, community=community, kind=kind, memo=memo[:200], idempotency_key=key,
                     reverses=reverses, actor=actor if is_user else None, created_at=now, sealed=True,
                     warnings=warnings)
    tx._state.adding, tx._state.db = False, connection.alias
    return tx


def reverse(*, original: Transaction, actor, memo: str = "", idempotency_key: str = "") -> Transaction:
    """冲正 — post the mirror image of ``original``. Refused if it was reversed already or is a reversal."""
    if original.kind == TxKind.REVERSAL:
        raise IllegalState(_("A reversal cannot be reversed; post a new transaction instead."))
    if Transaction.objects.filter(reverses=original).exists():
        raise AlreadyReversed()
    legs = [(e.account, -e.amount) for e in original.entries.select_related("account").order_by("account_id")]
    return post(community=original.community, kind=TxKind.REVERSAL, legs=legs, actor=actor,
                memo=memo or _("Reversal of #%(id)s") % {"id": original.pk},
                idempotency_key=idempotency_key or f"reversal:{original.pk}", reverses=original)


# --- opening accounts -----------------------------------------------------------------------------------


def _open(*, lookup: dict, community, path: str, kind: str, currency: str, **extra) -> Account:
    if currency not in KIND_CURRENCIES[kind]:
        raise InvalidInput(_("This account cannot hold this currency."), field="currency")
    defaults = {"community": community, "path": path, "floor": ACCOUNT_FLOORS[kind], **extra}
    account, _created = Account.objects.get_or_create(**lookup, kind=kind, currency=currency, defaults=defaults)
    return account


def household_account(household) -> Account:
    """The household's points account (积分账户), opened on first use."""
    return _open(lookup={"household": household}, community=household.community, path=household.path,
                 kind=AccountKind.HOUSEHOLD, currency=Currency.POINTS)


def resident_account(resident) -> Account:
    """The resident's time-coin account (时间币账户), opened on first use."""
    return _open(lookup={"resident": resident}, community=resident.community, path=resident.path,
                 kind=AccountKind.RESIDENT, currency=Currency.TIME)


def unit_account(unit, currency: str) -> Account:
    """A resident unit's or merchant's account, credited when its shop items are picked up."""
    return _open(lookup={"unit": unit}, community=unit.community, path=unit.community.path,
                 kind=AccountKind.UNIT, currency=currency)


def system_account(community, kind: str, currency: str) -> Account:
    """The community's issuance, sink, clearing or outside-world account for a currency."""
    return _open(lookup={"community": community}, community=community, path=community.path, kind=kind,
                 currency=currency, name=f"{community.name}·{AccountKind(kind).label}·{Currency(currency).label}")
