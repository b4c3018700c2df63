"""Care vouchers API under /api/v1/ledger/vouchers/ (照料券): providers, issue, expiry, payments, statements.

Same shape as api.py: parse → access (scoped selector; missing and forbidden are both 404) → require → service.
"""

from ninja import Router, Status
from ninja.pagination import paginate

from gongzhi.core.api import MappedPage, ObjectId, Page
from gongzhi.core.errors import Forbidden, InvalidInput, NotFound
from gongzhi.core.masking import mask_name
from gongzhi.core.permissions import require
from gongzhi.registry.models import Resident, ResidentUnit
from gongzhi.registry.selectors import residents_visible_to

from . import selectors
from .enums import Currency
from .formatting import format_amount
from .identity import acting_residents
from .models import Account, CareProvider
from .schemas import (
    ProviderIn,
    ProviderOut,
    ProviderStatementOut,
    RedemptionIn,
    RedemptionOut,
    VoucherExpireIn,
    VoucherExpireOut,
    VoucherIssueIn,
    VoucherIssueOut,
    VoucherStatementOut,
)
from .services import vouchers

router = Router(tags=["ledger: care vouchers"])


def provider_out(p: CareProvider) -> dict:
    return {"id": p.pk, "unit_id": p.unit_id, "name": p.unit.name, "community_id": p.community_id,
            "services": p.services, "is_active": p.is_active}


def _resident(request, resident_id: int | None) -> Resident:
    """Yourself by default; an elder you hold a proxy for; or, for staff, a resident in their scope (else 404)."""
    mine = acting_residents(request.user)
    if resident_id is None:
        if not mine:
            raise Forbidden()
        return mine[0]
    for r in mine:
        if r.pk == resident_id:
            return r
    resident = residents_visible_to(request.user).select_related("community").filter(pk=resident_id).first()
    if resident is None:
        raise NotFound()
    return resident


def _account_for_rules(resident: Resident) -> Account:
    """The resident's voucher account, or an unsaved stand-in (a read must not open one)."""
    found = Account.objects.filter(resident=resident, currency=Currency.VOUCHER).first()
    return found or Account(resident=resident, community=resident.community, path=resident.path,
                            currency=Currency.VOUCHER)


@router.get("/providers", response=list[ProviderOut], summary="Registered care providers (照料服务机构)")
def list_providers(request, community: ObjectId | None = None):
    qs = selectors.providers_visible_to(request.user)
    if community:
        qs = qs.filter(community_id=community)
    return [provider_out(p) for p in qs]


@router.post("/providers", response={201: ProviderOut},
             summary="Register a resident unit or merchant to accept care vouchers (managers)")
def register_provider(request, payload: ProviderIn):
    unit = ResidentUnit.objects.select_related("community").filter(pk=payload.unit).first()
    if unit is None:
        raise InvalidInput(field="unit")
    community = selectors.access_community(request.user, unit.community_id)
    require(request.user, "ledger.manage_vouchers", community)
    provider = vouchers.register_provider(unit=unit, actor=request.user, services=payload.services)
    return Status(201, provider_out(provider))


@router.post("/providers/{provider_id}/deactivate", response=ProviderOut)
def deactivate_provider(request, provider_id: int):
    provider = selectors.access_provider(request.user, provider_id)
    require(request.user, "ledger.manage_vouchers", provider)
    return provider_out(vouchers.deactivate_provider(provider=provider, actor=request.user))


@router.get("/providers/{provider_id}/statement", response=ProviderStatementOut,
            summary="Vouchers a provider received (its own logins and the community's managers)")
def provider_statement(request, provider_id: int):
    provider = selectors.access_provider(request.user, provider_id)
    if not request.user.has_perm("ledger.view_provider", provider):
        raise NotFound()
    account = Account.objects.filter(unit_id=provider.unit_id, currency=Currency.VOUCHER).first()
    balance = account.balance if account else 0
    return {"provider_id": provider.pk, "name": provider.unit.name, "balance": balance,
            "balance_display": format_amount(Currency.VOUCHER, balance),
            "receipts": [{"id": r.pk, "resident": mask_name(r.resident.name), "amount": r.amount,
                          "service": r.service, "created_at": r.created_at}
                         for r in selectors.provider_redemptions(provider)[:500]]}


@router.post("/issue", response=VoucherIssueOut,
             summary="Issue this year's vouchers to every eligible resident of a community (again: only the missing)")
def issue(request, payload: VoucherIssueIn):
    community = selectors.access_community(request.user, payload.community)
    require(request.user, "ledger.manage_vouchers", community)
    return vouchers.issue_vouchers(community=community, year=payload.year, actor=request.user)


@router.post("/expire", response=VoucherExpireOut,
             summary="Take back the unspent vouchers of years that have ended (到期冲回); safe to repeat")
def expire(request, payload: VoucherExpireIn):
    community = selectors.access_community(request.user, payload.community)
    require(request.user, "ledger.manage_vouchers", community)
    return vouchers.expire_vouchers(community=community, actor=request.user)


@router.post("/redemptions", response={201: RedemptionOut},
             summary="Pay a registered provider with care vouchers (yourself, an elder you act for, or staff)")
def redeem(request, payload: RedemptionIn):
    resident = _resident(request, payload.resident)
    require(request.user, "ledger.redeem_vouchers", _account_for_rules(resident))
    provider = selectors.providers_visible_to(request.user).filter(pk=payload.provider).first()
    if provider is None:
        raise InvalidInput(field="provider")
    r = vouchers.redeem_vouchers(resident=resident, provider=provider, amount=payload.amount,
                                 service=payload.service, actor=request.user, idempotency_key=payload.idempotency_key)
    balance = vouchers.voucher_account(resident).balance
    return Status(201, {"id": r.pk, "resident_id": r.resident_id, "provider_id": r.provider_id,
                        "provider": provider.unit.name, "amount": r.amount,
                        "amount_display": format_amount(Currency.VOUCHER, r.amount), "service": r.service,
                        "transaction_id": r.transaction_id, "created_at": r.created_at, "balance": balance})


@router.get("/statement", response=VoucherStatementOut,
            summary="A resident's care vouchers: balance, grants and every movement (yourself by default)")
def statement(request, resident: ObjectId | None = None):
    holder = _resident(request, resident)
    account = _account_for_rules(holder)
    if not request.user.has_perm("ledger.view_vouchers", account):
        raise NotFound()
    grants = list(holder.voucher_grants.order_by("-year"))
    entries = list(account.entries.select_related("transaction").order_by("-seq")[:500]) if account.pk else []
    return {"resident_id": holder.pk, "name": holder.name, "balance": account.balance,
            "balance_display": format_amount(Currency.VOUCHER, account.balance),
            "grants": [{"year": g.year, "amount": g.amount, "expires_on": g.expires_on,
                        "expired_amount": g.expired_amount, "expired": g.expired_at is not None} for g in grants],
            "entries": [{"created_at": e.created_at, "kind": e.transaction.kind, "amount": e.amount,
                         "amount_display": format_amount(Currency.VOUCHER, e.amount),
                         "balance_after": e.balance_after, "memo": e.transaction.memo,
                         "transaction_id": e.transaction_id} for e in entries]}


@router.get("/holders", response=list[VoucherStatementOut],
            summary="Staff: voucher balances of the residents in scope (no entries)")
@paginate(Page)
def holders(request, community: ObjectId):
    place = selectors.access_community(request.user, community)
    require(request.user, "ledger.manage_vouchers", place)
    qs = (selectors.accounts_visible_to(request.user)
          .filter(community=place, currency=Currency.VOUCHER, resident__isnull=False).order_by("path", "id"))
    return MappedPage(qs, lambda a: {"resident_id": a.resident_id, "name": a.resident.name, "balance": a.balance,
                                     "balance_display": format_amount(Currency.VOUCHER, a.balance),
                                     "grants": [], "entries": []})
