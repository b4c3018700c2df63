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

from django.db import IntegrityError, transaction
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


def _post(*, community, kind, legs: Legs, actor, memo, key, reverses) -> Transaction:
    ids = sorted(a.pk for a, _amount in legs)
    locked = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    if len(locked) != len(ids):
        raise InvalidInput(_("The account does not exist."), field="account")
    now = timezone.now()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    tx = Transaction.objects.create(community=community, kind=kind, memo=memo[:200], idempotency_key=key,
                                    reverses=reverses, actor=actor if is_user else None, created_at=now)
    warnings: list[str] = []
    entries = []
    for account, amount in sorted(legs, key=lambda leg: leg[0].pk):
        row = locked[account.pk]
        after = row.balance + amount
        if amount < 0 and row.floor is not None and after < row.floor:
            raise InsufficientBalance(row, -amount)
        warnings += _soft_warnings(row, row.balance, after)
        seq = row.entry_count + 1
        digest = entry_hash(prev_hash=row.head_hash, account_id=row.pk, seq=seq, transaction_id=tx.pk,
                            tx_kind=kind, idempotency_key=key, currency=row.currency, amount=amount,
                            balance_after=after, created_at=now)
        entries.append(Entry(transaction=tx, account=row, currency=row.currency, amount=amount,
                             balance_after=after, seq=seq, created_at=now, prev_hash=row.head_hash, hash=digest))
        row.balance, row.entry_count, row.head_hash = after, seq, digest
        account.balance, account.entry_count, account.head_hash = after, seq, digest
    Entry.objects.bulk_create(entries)
    for row in locked.values():
        Account.objects.filter(pk=row.pk).update(balance=row.balance, entry_count=row.entry_count,
                                                 head_hash=row.head_hash)
    Transaction.objects.filter(pk=tx.pk).update(sealed=True, warnings=warnings)
    tx.sealed, tx.warnings = True, warnings
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
