"""照料券: issue care vouchers to elders, spend them at registered providers, take back the unspent at year end.

Vouchers are their own currency (``voucher``, in fen), so they can never be mixed with money or time coins.
Issue: the community's voucher issuance account → the resident's voucher account, once per resident and year.
Spend: the resident's account → the provider's (a resident unit's) account; the floor of 0 means never overdrawn.
Expire: after the year's end, the unspent balance goes back to issuance (到期冲回), once per grant. Before an
issue or a spend the resident's due grants are expired first, so a balance only ever holds one year's vouchers.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.registry.enums import ResidentStatus, Tag
from gongzhi.registry.models import Resident

from ..enums import CARE_VOUCHER_AMOUNT, CARE_VOUCHER_MIN_AGE, AccountKind, Currency, TxKind
from ..errors import IllegalState
from ..models import Account, CareProvider, VoucherGrant, VoucherRedemption
from . import posting

MAX_REDEMPTION = CARE_VOUCHER_AMOUNT  # one service never costs more than a year's vouchers


def voucher_account(resident) -> Account:
    """The resident's care-voucher account (照料券账户), opened on first use."""
    return posting._open(lookup={"resident": resident}, community=resident.community, path=resident.path,
                         kind=AccountKind.RESIDENT, currency=Currency.VOUCHER)


def provider_account(provider: CareProvider) -> Account:
    return posting.unit_account(provider.unit, Currency.VOUCHER)


# --- providers ------------------------------------------------------------------------------------------


@transaction.atomic
def register_provider(*, unit, actor, services: str) -> CareProvider:
    """登记照料服务机构 — a resident unit or merchant of the community starts accepting vouchers (again)."""
    services = (services or "").strip()
    if len(services) < 2:
        raise InvalidInput(_("Say which care services the provider gives."), field="services")
    provider, created = CareProvider.objects.get_or_create(unit=unit, defaults={
        "community": unit.community, "path": unit.community.path, "services": services[:200],
        "registered_by": actor})
    if not created:
        provider.services, provider.is_active = services[:200], True
        provider.save(update_fields=["services", "is_active"])
    provider_account(provider)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
                 target=provider, scope_path=provider.path, data={"unit": unit.pk})
    return provider


@transaction.atomic
def deactivate_provider(*, provider: CareProvider, actor) -> CareProvider:
    provider.is_active = False
    provider.save(update_fields=["is_active"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=provider, scope_path=provider.path,
                 data={"active": False})
    return provider


# --- issue and expiry -----------------------------------------------------------------------------------


def eligible_residents(community, *, today: dt.date):
    """Residents living in the community, aged CARE_VOUCHER_MIN_AGE or over today, and not migrants (户籍 only)."""
    return (Resident.objects.filter(community=community, status=ResidentStatus.ACTIVE)
            .aged(CARE_VOUCHER_MIN_AGE, today=today).exclude(taggings__tag=Tag.MIGRANT)
            .select_related("community").order_by("pk"))


def _expire_due(resident, *, today: dt.date, actor) -> int:
    """Take back what is left of the resident's grants that ended before ``today``; returns the amount."""
    due = list(VoucherGrant.objects.select_for_update().filter(resident=resident, expired_at__isnull=True,
                                                                expires_on__lt=today).order_by("year"))
    if not due:
        return 0
    account = Account.objects.select_for_update().get(pk=voucher_account(resident).pk)
    left, now = account.balance, timezone.now()
    last = due[-1]
    if left > 0:
        issuance = posting.system_account(resident.community, AccountKind.ISSUANCE, Currency.VOUCHER)
        last.expiry = posting.post(community=resident.community, kind=TxKind.EXPIRY, actor=actor,
                                   memo=_("Care vouchers of %(year)s expired") % {"year": last.year},
                                   idempotency_key=f"voucher-expiry:{last.pk}",
                                   legs=[(account, -left), (issuance, left)])
        last.expired_amount = min(left, last.amount)
    for grant in due:
        grant.expired_at = now
        grant.save(update_fields=["expired_at", "expiry", "expired_amount"])
    return left


def issue_voucher(*, resident, year: int, actor, today: dt.date | None = None,
                  amount: int = CARE_VOUCHER_AMOUNT) -> tuple[VoucherGrant, bool]:
    """发放照料券 — a year's vouchers for one eligible resident; returns (grant, created). Idempotent per year."""
    today = today or timezone.localdate()
    existing = VoucherGrant.objects.filter(resident=resident, year=year).first()
    if existing is not None:
        return existing, False
    if year != today.year:
        raise InvalidInput(_("Vouchers are issued for the current year only."), field="year")
    if not eligible_residents(resident.community, today=today).filter(pk=resident.pk).exists():
        raise InvalidInput(_("Care vouchers are for registered residents aged %(age)s or over.")
                           % {"age": CARE_VOUCHER_MIN_AGE}, field="resident")
    try:
        with transaction.atomic():
            _expire_due(resident, today=today, actor=actor)
            account = voucher_account(resident)
            issuance = posting.system_account(resident.community, AccountKind.ISSUANCE, Currency.VOUCHER)
            tx = posting.post(community=resident.community, kind=TxKind.VOUCHER, actor=actor,
                              memo=_("Care vouchers for %(year)s") % {"year": year},
                              idempotency_key=f"voucher:{resident.pk}:{year}",
                              legs=[(issuance, -amount), (account, amount)])
            grant = VoucherGrant.objects.create(community=resident.community, path=resident.path, resident=resident,
                                                year=year, amount=amount, expires_on=dt.date(year, 12, 31),
                                                transaction=tx, issued_by=actor if actor else None)
    except IntegrityError:  # issued concurrently
        existing = VoucherGrant.objects.filter(resident=resident, year=year).first()
        if existing is None:
            raise
        return existing, False
    return grant, True


def issue_vouchers(*, community, year: int, actor, today: dt.date | None = None) -> dict:
    """发放 — the year's vouchers to every eligible resident of the community (again: only to those missing)."""
    today = today or timezone.localdate()
    if year != today.year:
        raise InvalidInput(_("Vouchers are issued for the current year only."), field="year")
    issued = already = 0
    for resident in eligible_residents(community, today=today).iterator(chunk_size=500):
        _grant, created = issue_voucher(resident=resident, year=year, actor=actor, today=today)
        issued, already = issued + created, already + (not created)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target_type="ledger.vouchergrant",
                 scope_path=community.path, data={"year": year, "issued": issued})
    return {"year": year, "issued": issued, "already": already, "amount_each": CARE_VOUCHER_AMOUNT}


def expire_vouchers(*, community=None, actor, today: dt.date | None = None) -> dict:
    """到期冲回 — for every grant whose year has ended, take back the unspent vouchers. Safe to repeat."""
    today = today or timezone.localdate()
    due = VoucherGrant.objects.filter(expired_at__isnull=True, expires_on__lt=today)
    if community is not None:
        due = due.filter(community=community)
    residents = Resident.objects.filter(pk__in=due.values("resident_id")).select_related("community")
    grants = amount = 0
    for resident in residents.iterator(chunk_size=500):
        with transaction.atomic():
            grants += VoucherGrant.objects.filter(resident=resident, expired_at__isnull=True,
                                                  expires_on__lt=today).count()
            amount += _expire_due(resident, today=today, actor=actor)
    return {"grants": grants, "amount": amount}


# --- spending -------------------------------------------------------------------------------------------


def redeem_vouchers(*, resident, provider: CareProvider, amount: int, service: str, actor,
                    idempotency_key: str = "", today: dt.date | None = None) -> VoucherRedemption:
    """使用照料券 — pay a registered provider of the resident's community for a care service. Never overdrawn:
    the ledger refuses a debit below zero (409 insufficient_balance) and nothing is written."""
    today = today or timezone.localdate()
    if idempotency_key:
        existing = VoucherRedemption.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if (existing.resident_id, existing.provider_id, existing.amount) != (resident.pk, provider.pk, amount):
                raise InvalidInput(_("This idempotency key was already used for a different payment."),
                                   field="idempotency_key")
            return existing
    if type(amount) is not int or not 0 < amount <= MAX_REDEMPTION:
        raise InvalidInput(_("The amount must be between 0.01 and 360.00 yuan."), field="amount")
    service = (service or "").strip()
    if len(service) < 2:
        raise InvalidInput(_("Say which care service is paid for."), field="service")
    if not provider.is_active:
        raise IllegalState(_("This provider no longer accepts care vouchers."))
    if provider.community_id != resident.community_id:
        raise InvalidInput(_("The provider is not registered in the resident's community."), field="provider")
    key = idempotency_key or f"redemption:{resident.pk}:{timezone.now().timestamp()}"
    try:
        with transaction.atomic():
            _expire_due(resident, today=today, actor=actor)
            tx = posting.post(community=resident.community, kind=TxKind.REDEMPTION, actor=actor,
                              memo=f"{provider.unit.name}：{service}"[:200], idempotency_key=f"redemption:{key}"[:100],
                              legs=[(voucher_account(resident), -amount), (provider_account(provider), amount)])
            redemption = VoucherRedemption.objects.create(
                community=resident.community, path=resident.path, resident=resident, provider=provider,
                amount=amount, service=service[:200], transaction=tx, idempotency_key=key, actor=actor)
    except IntegrityError:
        existing = VoucherRedemption.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=redemption, scope_path=resident.path,
                 data={"provider": provider.pk, "amount": amount})
    return redemption
