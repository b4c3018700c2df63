"""Reads of the ledger that depend on who is asking.

Residents see the accounts of their own household and their own time-coin account, plus those of the elders
they hold a proxy for; staff see the accounts under the places where they hold a ledger role; nobody sees
another community's.
"""

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, When

from gongzhi.accounts.enums import Role
from gongzhi.accounts.selectors import NOTHING as _NOTHING
from gongzhi.accounts.selectors import scope_q, scopes_of
from gongzhi.core import paths
from gongzhi.core.errors import NotFound
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Household, Place

from .enums import (
    AWARD_ROLES,
    LEDGER_MANAGE_ROLES,
    LEDGER_READ_ROLES,
    AccountKind,
    AwardStatus,
    ListStatus,
    Polarity,
)
from .identity import acting_household_ids, acting_residents, acts_for  # noqa: F401
from .models import (
    Account,
    BehaviorList,
    CareProvider,
    Entry,
    FundRecord,
    PointsAward,
    ProxyAuthorization,
    ShopItem,
    ShopOrder,
    VoucherRedemption,
)

_AT_OR_BELOW_COMMUNITY = {PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE, PlaceKind.BUILDING}




def community_ids_for(user, roles) -> set[int] | None:
    """Communities where the user holds one of ``roles`` (at the community or below, or above it); None: all."""
    found: set[int] = set()
    above = _NOTHING
    for s in scopes_of(user):
        if s.role not in roles:
            continue
        if s.role == Role.ADMIN:
            return None
        if s.place_kind in _AT_OR_BELOW_COMMUNITY:
            found.add(s.community_id)
        else:
            above |= paths.subtree_q("path", s.path)
    if above != _NOTHING:
        found |= set(Place.objects.filter(above, kind=PlaceKind.COMMUNITY).values_list("pk", flat=True))
    return found


def resident_community_ids(user) -> set[int]:
    return {r.community_id for r in acting_residents(user)}


def _holder_q(user) -> Q:
    residents = acting_residents(user)
    if not residents:
        return _NOTHING
    return Q(household_id__in={r.household_id for r in residents}) | Q(resident_id__in=[r.pk for r in residents])


def access_community(user, community_id: int) -> Place:
    """A community the user works in (ledger roles) or lives in (or acts for someone who does)."""
    staff = community_ids_for(user, LEDGER_READ_ROLES)
    if staff is not None and community_id not in staff | resident_community_ids(user):
        raise NotFound()
    try:
        return Place.objects.get(pk=community_id, kind=PlaceKind.COMMUNITY)
    except (Place.DoesNotExist, ValueError):
        raise NotFound() from None


# --- accounts -------------------------------------------------------------------------------------------


def _own_unit_ids(user):
    """The resident units and merchants the user is a login of (catalog's MerchantStaff, read only)."""
    from gongzhi.catalog.models import MerchantStaff

    return MerchantStaff.objects.filter(user_id=user.pk).values("unit_id")


def accounts_visible_to(user) -> QuerySet[Account]:
    """Staff in scope; the holder (and proxies); a merchant's or unit's logins see the unit's accounts."""
    q = scope_q(user, LEDGER_READ_ROLES)
    qs = Account.objects.select_related("household__building__parent", "resident", "unit", "community")
    if q is None:
        return qs
    return qs.filter(q | _holder_q(user) | Q(unit_id__in=_own_unit_ids(user)))


def access_account(user, account_id: int) -> Account:
    try:
        return accounts_visible_to(user).get(pk=account_id)
    except (Account.DoesNotExist, ValueError):
        raise NotFound() from None


def account_entries(account: Account) -> QuerySet[Entry]:
    return account.entries.select_related("transaction").order_by("-seq")


# --- points ---------------------------------------------------------------------------------------------


def awards_visible_to(user) -> QuerySet[PointsAward]:
    qs = PointsAward.objects.select_related("household__building__parent", "item")
    q = scope_q(user, LEDGER_READ_ROLES)
    if q is None:
        return qs
    households = acting_household_ids(user)
    return qs.filter(q | Q(household_id__in=households))


def access_award(user, award_id: int) -> PointsAward:
    try:
        return awards_visible_to(user).get(pk=award_id)
    except (PointsAward.DoesNotExist, ValueError):
        raise NotFound() from None


def lists_visible_to(user) -> QuerySet[BehaviorList]:
    """Published and superseded lists are public; drafts are seen by the community's ledger managers."""
    qs = BehaviorList.objects.select_related("community")
    managed = community_ids_for(user, LEDGER_MANAGE_ROLES)
    if managed is None:
        return qs
    return qs.filter(~Q(status=ListStatus.DRAFT) | Q(community_id__in=managed))


def access_list(user, list_id: int) -> BehaviorList:
    try:
        return lists_visible_to(user).get(pk=list_id)
    except (BehaviorList.DoesNotExist, ValueError):
        raise NotFound() from None


_SCORE = Sum(Case(When(polarity=Polarity.POSITIVE, then=F("points")), default=-F("points"),
                  output_field=IntegerField()))
_COUNTED = [AwardStatus.POSTED, AwardStatus.CONTESTED, AwardStatus.DISMISSED]


def building_ranking(community: Place, *, start=None, end=None) -> list[dict]:
    """楼栋积分排名 — every building of the community by average points per household earned in the period.

    Points counted are awards minus deductions (as listed, whether or not the balance could cover them), not
    reversed; spending in the shop does not lower a building's standing.
    """
    awards = PointsAward.objects.filter(community=community, status__in=_COUNTED)
    if start:
        awards = awards.filter(occurred_on__gte=start)
    if end:
        awards = awards.filter(occurred_on__lte=end)
    totals = dict(awards.values_list("household__building_id").annotate(score=_SCORE).order_by())
    buildings = (Place.objects.filter(paths.subtree_q("path", community.path), kind=PlaceKind.BUILDING)
                 .select_related("parent").annotate(household_count=Count("households")).order_by("path"))
    rows = []
    for b in buildings:
        total = totals.get(b.pk, 0) or 0
        average = round(total / b.household_count, 1) if b.household_count else 0.0
        estate = b.parent.name if b.parent and b.parent.kind == PlaceKind.ESTATE else ""
        rows.append({"building_id": b.pk, "building": f"{estate}{b.name}", "households": b.household_count,
                     "total": total, "average": average})
    rows.sort(key=lambda r: (-r["average"], -r["total"], r["building_id"]))
    _rank(rows, "average")
    return rows


def household_ranking(community: Place, *, building: Place | None = None, start=None, end=None) -> list[dict]:
    """户积分排名 within a community or one building; households with no awards are listed with 0."""
    awards = PointsAward.objects.filter(community=community, status__in=_COUNTED)
    households = Household.objects.filter(community=community).select_related("building__parent")
    if building is not None:
        awards = awards.filter(household__building=building)
        households = households.filter(building=building)
    if start:
        awards = awards.filter(occurred_on__gte=start)
    if end:
        awards = awards.filter(occurred_on__lte=end)
    totals = dict(awards.values_list("household_id").annotate(score=_SCORE).order_by())
    rows = [{"household_id": h.pk, "household": h.address, "building_id": h.building_id,
             "total": totals.get(h.pk, 0) or 0} for h in households]
    rows.sort(key=lambda r: (-r["total"], r["household_id"]))
    _rank(rows, "total")
    return rows


def _rank(rows: list[dict], key: str) -> None:
    """Competition ranking (1, 2, 2, 4)."""
    previous, rank = None, 0
    for i, row in enumerate(rows, start=1):
        if row[key] != previous:
            rank, previous = i, row[key]
        row["rank"] = rank


# --- shop -----------------------------------------------------------------------------------------------


def shop_items_visible_to(user) -> QuerySet[ShopItem]:
    """Items of the communities the user lives in (or acts for someone in), or works in."""
    qs = ShopItem.objects.select_related("unit", "community")
    staff = community_ids_for(user, LEDGER_READ_ROLES)
    if staff is None:
        return qs
    return qs.filter(Q(community_id__in=staff | resident_community_ids(user)) | Q(unit_id__in=_own_unit_ids(user)))


def access_shop_item(user, item_id: int) -> ShopItem:
    try:
        return shop_items_visible_to(user).get(pk=item_id)
    except (ShopItem.DoesNotExist, ValueError):
        raise NotFound() from None


def orders_visible_to(user) -> QuerySet[ShopOrder]:
    qs = ShopOrder.objects.select_related("item__unit", "account")
    staff = community_ids_for(user, LEDGER_MANAGE_ROLES)
    if staff is None:
        return qs
    held = Account.objects.filter(_holder_q(user)).values("pk")
    return qs.filter(Q(community_id__in=staff) | Q(account_id__in=held) | Q(item__unit_id__in=_own_unit_ids(user)))


def access_order(user, order_id: int) -> ShopOrder:
    try:
        return orders_visible_to(user).get(pk=order_id)
    except (ShopOrder.DoesNotExist, ValueError):
        raise NotFound() from None


# --- funds ----------------------------------------------------------------------------------------------


def funds_visible_to(user) -> QuerySet[Account]:
    """Staff see their communities' funds; residents see the public funds of their community."""
    qs = Account.objects.filter(kind=AccountKind.FUND).select_related("community")
    staff = community_ids_for(user, LEDGER_READ_ROLES)
    if staff is None:
        return qs
    return qs.filter(Q(community_id__in=staff) | Q(is_public=True, community_id__in=resident_community_ids(user)))


def access_fund(user, fund_id: int) -> Account:
    try:
        return funds_visible_to(user).get(pk=fund_id)
    except (Account.DoesNotExist, ValueError):
        raise NotFound() from None


def public_funds(community_id: int) -> QuerySet[Account]:
    return Account.objects.filter(kind=AccountKind.FUND, community_id=community_id, is_public=True).order_by("pk")


def fund_statement(fund: Account, *, start=None, end=None) -> dict:
    """收支公示 — opening balance, money in and out, closing balance and every record of the period."""
    records = FundRecord.objects.filter(Q(fund=fund) | Q(other_fund=fund))
    before = records.filter(occurred_on__lt=start) if start else records.none()
    period = records
    if start:
        period = period.filter(occurred_on__gte=start)
    if end:
        period = period.filter(occurred_on__lte=end)
    opening = sum(_signed(r, fund) for r in before)
    lines = [{"record": r, "signed": _signed(r, fund)} for r in period.order_by("occurred_on", "id")]
    money_in = sum(line["signed"] for line in lines if line["signed"] > 0)
    money_out = -sum(line["signed"] for line in lines if line["signed"] < 0)
    return {"fund": fund, "opening": opening, "money_in": money_in, "money_out": money_out,
            "closing": opening + money_in - money_out, "lines": lines, "head_hash": fund.head_hash,
            "entry_count": fund.entry_count}


def _signed(record: FundRecord, fund: Account) -> int:
    if record.kind == "allocation":
        return record.amount if record.other_fund_id == fund.pk else -record.amount
    return -record.amount if record.kind == "spending" else record.amount


# --- proxies --------------------------------------------------------------------------------------------


def proxies_visible_to(user) -> QuerySet[ProxyAuthorization]:
    qs = ProxyAuthorization.objects.select_related("principal", "agent")
    q = scope_q(user, AWARD_ROLES)
    if q is None:
        return qs
    mine = [r.pk for r in acting_residents(user)]
    return qs.filter(q | Q(principal_id__in=mine) | Q(agent_id__in=mine))


# --- care vouchers ----------------------------------------------------------------------------------------


def providers_visible_to(user) -> QuerySet[CareProvider]:
    """Providers of the communities the user works in (ledger roles) or lives in; and a unit's own logins'."""
    qs = CareProvider.objects.select_related("unit", "community")
    staff = community_ids_for(user, LEDGER_READ_ROLES)
    if staff is None:
        return qs
    return qs.filter(Q(community_id__in=staff | resident_community_ids(user)) | Q(unit_id__in=_own_unit_ids(user)))


def access_provider(user, provider_id: int) -> CareProvider:
    try:
        return providers_visible_to(user).get(pk=provider_id)
    except (CareProvider.DoesNotExist, ValueError):
        raise NotFound() from None


def provider_redemptions(provider: CareProvider) -> QuerySet[VoucherRedemption]:
    return provider.redemptions.select_related("resident").order_by("-created_at", "-id")
