"""The book: accounts, transactions and their entries. Only ``services/posting.py`` writes here.

An entry's ``amount`` is signed: positive raises the account's balance, negative lowers it. A transaction's
entries sum to zero in every currency. Entries are never updated or deleted (database triggers refuse it,
see migration 0002); a mistake is corrected by a reversal transaction. Each entry carries the SHA-256 of its
canonical fields and of the previous entry of the same account (``chain.py``), so ``gongzhi ledger verify``
finds any row changed behind the application's back.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..chain import GENESIS
from ..enums import KIND_CURRENCIES, SYSTEM_KINDS, AccountKind, Currency, FundPurpose, TxKind


def _kind_currency_q() -> Q:
    q = Q(pk__in=[])
    for kind, currencies in KIND_CURRENCIES.items():
        q |= Q(kind=kind, currency__in=sorted(currencies))
    return q


def _owner_q() -> Q:
    none = {"household__isnull": True, "resident__isnull": True, "unit__isnull": True}
    return (
        Q(kind=AccountKind.HOUSEHOLD, household__isnull=False, resident__isnull=True, unit__isnull=True)
        | Q(kind=AccountKind.RESIDENT, resident__isnull=False, household__isnull=True, unit__isnull=True)
        | Q(kind=AccountKind.UNIT, unit__isnull=False, household__isnull=True, resident__isnull=True)
        | Q(kind__in=sorted(SYSTEM_KINDS | {AccountKind.FUND}), **none)
    )


class Account(models.Model):
    """账户 — one holder's balance in one currency; it changes only through entries.

    ``floor`` is the hard limit (no debit may take the balance below it; null: no limit, for the issuance and
    outside-world accounts that are sources of value); ``soft_floor`` and ``soft_ceiling`` only warn.
    ``balance``, ``entry_count`` and ``head_hash`` summarise the entries and are checked against them by
    ``gongzhi ledger verify``.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    # Scope path: the building's for household and resident accounts, the community's otherwise.
    path = models.CharField(max_length=64, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=AccountKind)
    currency = models.CharField(_("currency"), max_length=8, choices=Currency)
    name = models.CharField(_("name"), max_length=100, blank=True)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="ledger_accounts")
    resident = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="ledger_accounts")
    unit = models.ForeignKey("registry.ResidentUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="ledger_accounts")
    purpose = models.CharField(_("purpose"), max_length=12, choices=FundPurpose, blank=True)  # funds
    project = models.CharField(_("project"), max_length=200, blank=True)  # funds: the project budgeted
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(_("public statement"), default=False)  # funds: statement shown without login
    floor = models.BigIntegerField(_("hard floor"), null=True, blank=True)
    soft_floor = models.BigIntegerField(_("warning below"), null=True, blank=True)
    soft_ceiling = models.BigIntegerField(_("warning above"), null=True, blank=True)
    balance = models.BigIntegerField(_("balance"), default=0, editable=False)
    entry_count = models.PositiveBigIntegerField(default=0, editable=False)
    head_hash = models.CharField(max_length=64, default=GENESIS, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community_id", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(floor__isnull=True) | Q(balance__gte=F("floor")),
                                   name="account_balance_not_below_floor"),
            models.CheckConstraint(condition=_kind_currency_q(), name="account_currency_fits_kind"),
            models.CheckConstraint(condition=_owner_q(), name="account_owner_fits_kind"),
            models.UniqueConstraint(fields=["household", "currency"], condition=Q(household__isnull=False),
                                    name="account_unique_household_currency"),
            models.UniqueConstraint(fields=["resident", "currency"], condition=Q(resident__isnull=False),
                                    name="account_unique_resident_currency"),
            models.UniqueConstraint(fields=["unit", "currency"], condition=Q(unit__isnull=False),
                                    name="account_unique_unit_currency"),
            models.UniqueConstraint(fields=["community", "kind", "currency"],
                                    condition=Q(kind__in=sorted(SYSTEM_KINDS)),
                                    name="account_unique_system_account"),
            models.UniqueConstraint(fields=["community", "name"], condition=Q(kind=AccountKind.FUND),
                                    name="account_unique_fund_name"),
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        owner = self.household or self.resident or self.unit
        return f"{owner or self.get_kind_display()} · {self.get_currency_display()}"


class Transaction(models.Model):
    """交易 — a balanced set of entries posted at once. Never changed; corrected by a reversal (冲正).

    ``sealed`` turns true in the same database transaction that wrote the entries; the database refuses to
    seal unless the entries sum to zero per currency, refuses entries on a sealed transaction, and refuses
    any change to a sealed one.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=TxKind)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversal")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(db_index=True)
    sealed = models.BooleanField(default=False, editable=False)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind=TxKind.REVERSAL) | Q(reverses__isnull=False),
                                   name="reversal_names_its_original"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("ledger entries are immutable; post a reversal")

    def delete(self):
        raise TypeError("ledger entries are immutable; post a reversal")


class Entry(models.Model):
    """分录 — one line of a transaction on one account. Append-only; hash-chained per account."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    currency = models.CharField(max_length=8, choices=Currency)
    amount = models.BigIntegerField()
    balance_after = models.BigIntegerField()
    seq = models.PositiveBigIntegerField()  # 1, 2, 3 … within the account
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["account_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["account", "seq"], name="entry_unique_account_seq"),
            models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["account", "created_at"], name="entry_account_created")]

    def __str__(self) -> str:
        return f"{self.account_id}#{self.seq} {self.amount:+d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("ledger entries are immutable; post a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ledger entries are immutable; post a reversal")
