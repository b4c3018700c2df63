"""Ledger API under /api/v1/ledger/: accounts and history, behaviour lists, awards, rankings, shop, funds.

Every handler: parse → access (scoped selector; missing and forbidden are both 404) → require (rule) →
service → schema. Public endpoints (no login) live under /public/.
"""

import datetime as dt

from ninja import Router, Status
from ninja.pagination import paginate

from gongzhi.core.api import MappedPage, ObjectId, Page
from gongzhi.core.errors import Forbidden, InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident, ResidentUnit
from gongzhi.registry.selectors import access_household, access_place, residents_visible_to

from . import selectors
from .api_vouchers import router as vouchers_router
from .enums import AccountKind, Currency, ListStatus, OrderStatus
from .formatting import format_amount
from .identity import acting_household_ids, acting_residents, acts_for
from .models import Account, BehaviorItem, BehaviorList, FundRecord, PointsAward, ShopItem, ShopOrder
from .schemas import (
    AccountOut,
    AwardIn,
    AwardOut,
    BuildingRankOut,
    CancelIn,
    DecisionIn,
    EntryOut,
    FundIn,
    FundOut,
    FundRecordIn,
    HouseholdRankOut,
    ItemChangeIn,
    ItemIn,
    ItemOut,
    ListIn,
    ListOut,
    OrderIn,
    OrderOut,
    PickupIn,
    ProxyIn,
    ProxyOut,
    ReasonIn,
    RestockIn,
    ShopItemChangeIn,
    ShopItemIn,
    ShopItemOut,
    StatementOut,
)
from .services import funds, points, proxies, shop

router = Router(tags=["ledger"])


# --- accounts -------------------------------------------------------------------------------------------


def account_out(a: Account) -> dict:
    return {"id": a.pk, "kind": a.kind, "currency": a.currency, "label": str(a), "community_id": a.community_id,
            "household_id": a.household_id, "resident_id": a.resident_id, "unit_id": a.unit_id,
            "balance": a.balance, "balance_display": format_amount(a.currency, a.balance), "floor": a.floor,
            "soft_floor": a.soft_floor}


@router.get("/accounts", response=list[AccountOut], summary="Accounts visible to the caller")
@paginate(Page)
def list_accounts(request, kind: AccountKind | None = None, currency: Currency | None = None,
                  community: ObjectId | None = None):
    qs = selectors.accounts_visible_to(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    if currency:
        qs = qs.filter(currency=currency)
    if community:
        qs = qs.filter(community_id=community)
    return MappedPage(qs.order_by("community_id", "kind", "id"), account_out)


@router.get("/accounts/{account_id}", response=AccountOut)
def get_account(request, account_id: int):
    return account_out(selectors.access_account(request.user, account_id))


@router.get("/accounts/{account_id}/entries", response=list[EntryOut], summary="An account's history, newest first")
@paginate(Page)
def list_entries(request, account_id: int):
    account = selectors.access_account(request.user, account_id)

    def out(e):
        return {"id": e.pk, "seq": e.seq, "amount": e.amount, "balance_after": e.balance_after,
                "created_at": e.created_at, "transaction_id": e.transaction_id, "kind": e.transaction.kind,
                "memo": e.transaction.memo, "hash": e.hash}

    return MappedPage(selectors.account_entries(account), out)


# --- behaviour lists ------------------------------------------------------------------------------------


def list_out(b: BehaviorList) -> dict:
    return {"id": b.pk, "community_id": b.community_id, "version": b.version, "status": b.status, "title": b.title,
            "note": b.note, "published_at": b.published_at, "items": list(b.items.all())}


@router.get("/lists", response=list[ListOut], summary="Behaviour lists (drafts: the community's managers only)")
def list_lists(request, community: ObjectId):
    return [list_out(b) for b in selectors.lists_visible_to(request.user).filter(community_id=community)
            .prefetch_related("items").order_by("-version")]


@router.get("/lists/{list_id}", response=ListOut)
def get_list(request, list_id: int):
    return list_out(selectors.access_list(request.user, list_id))


@router.post("/lists", response={201: ListOut}, summary="Start the next version of the list as a draft")
def create_list(request, payload: ListIn):
    community = selectors.access_community(request.user, payload.community)
    require(request.user, "ledger.manage_list", community)
    draft = points.create_draft(community=community, actor=request.user, title=payload.title, note=payload.note)
    return Status(201, list_out(draft))


def _draft_for_change(request, list_id: int) -> BehaviorList:
    behavior_list = selectors.access_list(request.user, list_id)
    require(request.user, "ledger.manage_list", behavior_list)
    return behavior_list


def _item_of(behavior_list: BehaviorList, item_id: int) -> BehaviorItem:
    try:
        return behavior_list.items.get(pk=item_id)
    except BehaviorItem.DoesNotExist:
        raise NotFound() from None


@router.post("/lists/{list_id}/items", response={201: ItemOut})
def add_item(request, list_id: int, payload: ItemIn):
    behavior_list = _draft_for_change(request, list_id)
    return Status(201, points.add_item(behavior_list=behavior_list, actor=request.user, **payload.dict()))


@router.patch("/lists/{list_id}/items/{item_id}", response=ItemOut)
def change_item(request, list_id: int, item_id: int, payload: ItemChangeIn):
    behavior_list = _draft_for_change(request, list_id)
    item = _item_of(behavior_list, item_id)
    return points.change_item(item=item, actor=request.user, **payload.dict(exclude_unset=True))


@router.delete("/lists/{list_id}/items/{item_id}", response={204: None})
def remove_item(request, list_id: int, item_id: int):
    behavior_list = _draft_for_change(request, list_id)
    points.remove_item(item=_item_of(behavior_list, item_id), actor=request.user)
    return Status(204, None)


@router.post("/lists/{list_id}/publish", response=ListOut)
def publish_list(request, list_id: int):
    behavior_list = _draft_for_change(request, list_id)
    return list_out(points.publish_list(behavior_list=behavior_list, actor=request.user))


@router.get("/public/lists/{community_id}", response=ListOut, auth=None,
            summary="The community's published positive and negative behaviour list (no login)")
def public_list(request, community_id: int):
    current = BehaviorList.objects.filter(community_id=community_id, status=ListStatus.PUBLISHED).first()
    if current is None:
        raise NotFound()
    return list_out(current)


# --- awards ---------------------------------------------------------------------------------------------


def award_out(a: PointsAward) -> dict:
    return {"id": a.pk, "household_id": a.household_id, "household": a.household.address, "item_id": a.item_id,
            "item_code": a.item_code, "item_name": a.item.name, "polarity": a.polarity, "points": a.points,
            "points_posted": a.points_posted, "evidence": a.evidence, "occurred_on": a.occurred_on,
            "status": a.status, "transaction_id": a.transaction_id, "contest_reason": a.contest_reason,
            "decision_note": a.decision_note, "created_at": a.created_at}


@router.post("/awards", response={201: AwardOut}, summary="Award or deduct points for a household (by list item)")
def create_award(request, payload: AwardIn):
    household = access_household(request.user, payload.household)
    require(request.user, "ledger.award_points", household)
    try:
        item = BehaviorItem.objects.select_related("behavior_list").get(pk=payload.item)
    except BehaviorItem.DoesNotExist:
        raise InvalidInput(field="item") from None
    award = points.award_points(household=household, item=item, actor=request.user, evidence=payload.evidence,
                                occurred_on=payload.occurred_on, note=payload.note, request_key=payload.request_key)
    return Status(201, award_out(selectors.access_award(request.user, award.pk)))


@router.get("/awards", response=list[AwardOut])
@paginate(Page)
def list_awards(request, household: ObjectId | None = None, status: str = "", community: ObjectId | None = None):
    qs = selectors.awards_visible_to(request.user)
    if household:
        qs = qs.filter(household_id=household)
    if community:
        qs = qs.filter(community_id=community)
    if status:
        qs = qs.filter(status=status)
    return MappedPage(qs.order_by("-occurred_on", "-id"), award_out)


@router.get("/awards/{award_id}", response=AwardOut)
def get_award(request, award_id: int):
    return award_out(selectors.access_award(request.user, award_id))


@router.post("/awards/{award_id}/contest", response=AwardOut, summary="The household contests a deduction")
def contest_award(request, award_id: int, payload: ReasonIn):
    award = selectors.access_award(request.user, award_id)
    require(request.user, "ledger.contest_award", award)
    points.contest_deduction(award=award, actor=request.user, reason=payload.reason)
    return award_out(selectors.access_award(request.user, award_id))


@router.post("/awards/{award_id}/decide", response=AwardOut, summary="Staff uphold (reverse) or dismiss a contest")
def decide_award(request, award_id: int, payload: DecisionIn):
    award = selectors.access_award(request.user, award_id)
    require(request.user, "ledger.decide_award", award)
    points.decide_contest(award=award, actor=request.user, uphold=payload.uphold, note=payload.note)
    return award_out(selectors.access_award(request.user, award_id))


@router.post("/awards/{award_id}/reverse", response=AwardOut, summary="Staff correct a mistaken award (冲正)")
def reverse_award(request, award_id: int, payload: ReasonIn):
    award = selectors.access_award(request.user, award_id)
    require(request.user, "ledger.decide_award", award)
    points.reverse_award(award=award, actor=request.user, reason=payload.reason)
    return award_out(selectors.access_award(request.user, award_id))


# --- rankings -------------------------------------------------------------------------------------------


@router.get("/rankings/buildings", response=list[BuildingRankOut], summary="Building ranking (楼栋积分排名)")
def building_ranking(request, community: ObjectId, start: dt.date | None = None, end: dt.date | None = None):
    place = selectors.access_community(request.user, community)
    return selectors.building_ranking(place, start=start, end=end)


@router.get("/rankings/households", response=list[HouseholdRankOut], summary="Household ranking (staff)")
def household_ranking(request, community: ObjectId, building: ObjectId | None = None,
                      start: dt.date | None = None, end: dt.date | None = None):
    place = selectors.access_community(request.user, community)
    require(request.user, "ledger.view_ranking", place)
    where = None
    if building:
        where = access_place(request.user, building)
        if where.kind != PlaceKind.BUILDING or where.community_id != place.pk:
            raise InvalidInput(field="building")
    return selectors.household_ranking(place, building=where, start=start, end=end)


@router.get("/public/rankings/{community_id}", response=list[BuildingRankOut], auth=None,
            summary="Building ranking, as posted in the buildings (no login)")
def public_ranking(request, community_id: int, start: dt.date | None = None, end: dt.date | None = None):
    place = Place.objects.filter(pk=community_id, kind=PlaceKind.COMMUNITY).first()
    if place is None:
        raise NotFound()
    return selectors.building_ranking(place, start=start, end=end)


# --- shop -----------------------------------------------------------------------------------------------


def item_out(i: ShopItem) -> dict:
    return {"id": i.pk, "community_id": i.community_id, "unit_id": i.unit_id,
            "offered_by": i.unit.name if i.unit_id else i.community.name, "name": i.name,
            "description": i.description, "currency": i.currency, "price": i.price,
            "price_display": format_amount(i.currency, i.price), "stock": i.stock,
            "per_order_limit": i.per_order_limit, "is_active": i.is_active}


@router.get("/shop/items", response=list[ShopItemOut], summary="The redemption shop (兑换铺)")
@paginate(Page)
def list_shop_items(request, community: ObjectId | None = None, active: bool | None = None):
    qs = selectors.shop_items_visible_to(request.user)
    if community:
        qs = qs.filter(community_id=community)
    if active is not None:
        qs = qs.filter(is_active=active)
    return MappedPage(qs.order_by("-is_active", "currency", "price", "id"), item_out)


@router.post("/shop/items", response={201: ShopItemOut})
def create_shop_item(request, payload: ShopItemIn):
    community = selectors.access_community(request.user, payload.community)
    require(request.user, "ledger.manage_shop", community)
    unit = None
    if payload.unit:
        unit = ResidentUnit.objects.filter(pk=payload.unit, community=community).first()
        if unit is None:
            raise InvalidInput(field="unit")
    item = shop.create_item(community=community, actor=request.user, unit=unit,
                            **payload.dict(exclude={"community", "unit"}))
    return Status(201, item_out(item))


def _managed_item(request, item_id: int) -> ShopItem:
    item = selectors.access_shop_item(request.user, item_id)
    require(request.user, "ledger.manage_shop", item)
    return item


@router.patch("/shop/items/{item_id}", response=ShopItemOut)
def change_shop_item(request, item_id: int, payload: ShopItemChangeIn):
    item = _managed_item(request, item_id)
    return item_out(shop.change_item(item=item, actor=request.user, **payload.dict(exclude_unset=True)))


@router.post("/shop/items/{item_id}/restock", response=ShopItemOut, summary="Restock (managers or the merchant)")
def restock_shop_item(request, item_id: int, payload: RestockIn):
    item = selectors.access_shop_item(request.user, item_id)
    require(request.user, "ledger.restock_item", item)
    return item_out(shop.restock(item=item, actor=request.user, quantity=payload.quantity))


def _holds(user, account: Account) -> bool:
    if account.household_id:
        return account.household_id in acting_household_ids(user)
    return any(account.resident_id == r.pk for r in acting_residents(user))


def order_out_for(user):
    def out(o: ShopOrder) -> dict:
        mine = _holds(user, o.account)
        return {"id": o.pk, "item_id": o.item_id, "item_name": o.item.name, "account_id": o.account_id,
                "quantity": o.quantity, "unit_price": o.unit_price, "total": o.total,
                "total_display": format_amount(o.item.currency, o.total), "status": o.status,
                "pickup_code": o.pickup_code if mine and o.status == OrderStatus.PLACED else None,
                "created_at": o.created_at, "closed_at": o.closed_at}
    return out


@router.post("/shop/orders", response={201: OrderOut}, summary="Order an item; points from your household")
def place_order(request, payload: OrderIn):
    item = selectors.access_shop_item(request.user, payload.item)
    if payload.resident:
        resident = Resident.objects.filter(pk=payload.resident).first()
        if resident is None or not acts_for(request.user, resident):
            raise InvalidInput(field="resident")
    else:
        residents = acting_residents(request.user)
        if not residents:
            raise Forbidden()
        resident = residents[0]
    order = shop.place_order(item=item, resident=resident, actor=request.user, quantity=payload.quantity,
                             idempotency_key=payload.idempotency_key)
    return Status(201, order_out_for(request.user)(selectors.access_order(request.user, order.pk)))


@router.get("/shop/orders", response=list[OrderOut])
@paginate(Page)
def list_orders(request, status: OrderStatus | None = None, community: ObjectId | None = None):
    qs = selectors.orders_visible_to(request.user)
    if status:
        qs = qs.filter(status=status)
    if community:
        qs = qs.filter(community_id=community)
    return MappedPage(qs.order_by("-created_at", "-id"), order_out_for(request.user))


@router.post("/shop/orders/{order_id}/pickup", response=OrderOut, summary="Hand over an order (pick-up code)")
def pick_up_order(request, order_id: int, payload: PickupIn):
    order = selectors.access_order(request.user, order_id)
    require(request.user, "ledger.hand_over_order", order)
    shop.pick_up(order=order, actor=request.user, pickup_code=payload.pickup_code)
    return order_out_for(request.user)(selectors.access_order(request.user, order_id))


@router.post("/shop/orders/{order_id}/cancel", response=OrderOut, summary="Cancel an order; the payment is refunded")
def cancel_order(request, order_id: int, payload: CancelIn):
    order = selectors.access_order(request.user, order_id)
    require(request.user, "ledger.cancel_order", order)
    shop.cancel_order(order=order, actor=request.user, reason=payload.reason)
    return order_out_for(request.user)(selectors.access_order(request.user, order_id))


# --- funds ----------------------------------------------------------------------------------------------


def fund_out(f: Account) -> dict:
    return {"id": f.pk, "community_id": f.community_id, "name": f.name, "purpose": f.purpose, "project": f.project,
            "description": f.description, "is_public": f.is_public, "balance": f.balance,
            "balance_display": format_amount(Currency.CNY, f.balance), "head_hash": f.head_hash}


def record_out(line: dict) -> dict:
    r: FundRecord = line["record"]
    return {"id": r.pk, "kind": r.kind, "amount": r.amount, "signed": line["signed"],
            "amount_display": format_amount(Currency.CNY, line["signed"]), "counterparty": r.public_counterparty(),
            "purpose": r.purpose, "project": r.project, "receipt_no": r.receipt_no, "occurred_on": r.occurred_on,
            "transaction_id": r.transaction_id}


def statement_out(fund: Account, start, end, warnings=()) -> dict:
    s = selectors.fund_statement(fund, start=start, end=end)
    return {**s, "fund": fund_out(fund), "start": start, "end": end, "lines": [record_out(x) for x in s["lines"]],
            "warnings": list(warnings)}


@router.get("/funds", response=list[FundOut], summary="Community funds (阳光基金, charity, project budgets)")
def list_funds(request, community: ObjectId | None = None):
    qs = selectors.funds_visible_to(request.user)
    if community:
        qs = qs.filter(community_id=community)
    return [fund_out(f) for f in qs.order_by("community_id", "pk")]


@router.post("/funds", response={201: FundOut})
def create_fund(request, payload: FundIn):
    community = selectors.access_community(request.user, payload.community)
    require(request.user, "ledger.manage_fund", community)
    fund = funds.open_fund(community=community, actor=request.user, **payload.dict(exclude={"community"}))
    return Status(201, fund_out(fund))


@router.post("/funds/{fund_id}/records", response={201: StatementOut},
             summary="Record a donation, grant, spending or allocation; answers the fund's statement")
def create_fund_record(request, fund_id: int, payload: FundRecordIn):
    fund = selectors.access_fund(request.user, fund_id)
    require(request.user, "ledger.manage_fund", fund)
    other = selectors.access_fund(request.user, payload.other_fund) if payload.other_fund else None
    record = funds.record_fund_movement(fund=fund, actor=request.user, other_fund=other,
                                        **payload.dict(exclude={"other_fund"}))
    fund.refresh_from_db()
    return Status(201, statement_out(fund, None, None, record.transaction.warnings))


@router.get("/funds/{fund_id}/statement", response=StatementOut)
def fund_statement(request, fund_id: int, start: dt.date | None = None, end: dt.date | None = None):
    return statement_out(selectors.access_fund(request.user, fund_id), start, end)


@router.get("/public/funds/{community_id}", response=list[StatementOut], auth=None,
            summary="Public statements of the community's funds (no login; donors' names masked)")
def public_funds(request, community_id: int, start: dt.date | None = None, end: dt.date | None = None):
    return [statement_out(f, start, end) for f in selectors.public_funds(community_id)]


# --- proxies --------------------------------------------------------------------------------------------


def proxy_out(p) -> dict:
    return {"id": p.pk, "principal_id": p.principal_id, "principal": p.principal.name, "agent_id": p.agent_id,
            "agent": p.agent.name, "relation": p.relation, "consent_method": p.consent_method,
            "consent_note": p.consent_note, "valid_until": p.valid_until, "revoked_at": p.revoked_at}


@router.post("/proxies", response={201: ProxyOut}, summary="Record that a relative acts for an elder (with consent)")
def create_proxy(request, payload: ProxyIn):
    visible = residents_visible_to(request.user)
    principal = visible.filter(pk=payload.principal).first()
    if principal is None:
        raise NotFound()
    require(request.user, "ledger.record_proxy", principal)
    agent = Resident.objects.filter(pk=payload.agent).first()
    if agent is None:
        raise InvalidInput(field="agent")
    proxy = proxies.record_proxy(principal=principal, agent=agent, actor=request.user,
                                 **payload.dict(exclude={"principal", "agent"}))
    return Status(201, proxy_out(proxy))


@router.get("/proxies", response=list[ProxyOut])
@paginate(Page)
def list_proxies(request):
    return MappedPage(selectors.proxies_visible_to(request.user).order_by("-recorded_at", "-id"), proxy_out)


@router.post("/proxies/{proxy_id}/revoke", response=ProxyOut)
def revoke_proxy(request, proxy_id: int, payload: ReasonIn):
    proxy = selectors.proxies_visible_to(request.user).filter(pk=proxy_id).first()
    if proxy is None:
        raise NotFound()
    me = request.user.resident_id
    if me not in (proxy.principal_id, proxy.agent_id):
        require(request.user, "ledger.record_proxy", proxy.principal)
    return proxy_out(proxies.revoke_proxy(proxy=proxy, actor=request.user, reason=payload.reason))


# --- care vouchers (照料券): api_vouchers.py -------------------------------------------------------------

router.add_router("/vouchers/", vouchers_router)
