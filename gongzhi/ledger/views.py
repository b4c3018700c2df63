"""Staff console pages for points, the redemption shop and funds (/console/ledger/)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongzhi.core.errors import InvalidInput
from gongzhi.core.permissions import require
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import ResidentUnit
from gongzhi.registry.selectors import access_household, households_visible_to, places_visible_to

from . import selectors
from .enums import (
    AWARD_ROLES,
    LEDGER_MANAGE_ROLES,
    LEDGER_READ_ROLES,
    AccountKind,
    AwardStatus,
    BehaviorCategory,
    CapPeriod,
    FundPurpose,
    FundRecordKind,
    ListStatus,
    OrderStatus,
    Polarity,
)
from .models import Account, BehaviorItem, BehaviorList
from .pages import back, chosen_community, domain_page, int_or_none
from .services import funds, points, shop


def _parse_date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Enter a date as YYYY-MM-DD."), field=field) from None


def _int(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Enter a whole number."), field=field) from None


def _yuan_to_fen(value: str) -> int:
    """"12.5" → 1250; refuses more than two decimals."""
    text = (value or "").strip().replace(",", "")
    whole, _sep, frac = text.partition(".")
    if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
        raise InvalidInput(_("Enter an amount in yuan, e.g. 12.50."), field="amount")
    return int(whole) * 100 + int((frac or "0").ljust(2, "0"))


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def home(request):
    """积分 — pick a building, see its households' balances, award or deduct by list item."""
    community, communities = chosen_community(request, AWARD_ROLES)
    current = points.published_list(community)
    if request.method == "POST":
        household = access_household(request.user, int_or_none(request.POST.get("household")) or 0)
        require(request.user, "ledger.award_points", household)
        item = BehaviorItem.objects.filter(pk=int_or_none(request.POST.get("item")) or 0).first()
        if item is None:
            raise InvalidInput(_("Choose an item of the list."), field="item")
        award = points.award_points(household=household, item=item, actor=request.user,
                                    evidence=request.POST.get("evidence", ""),
                                    occurred_on=_parse_date(request.POST.get("occurred_on"), "occurred_on"),
                                    request_key=request.POST.get("request_key", "")[:100])
        messages.success(request, _("Recorded: %(award)s") % {"award": award})
        return back(request)
    buildings = (places_visible_to(request.user).filter(kind=PlaceKind.BUILDING,
                                                        community=community).select_related("parent"))
    building = buildings.filter(pk=int_or_none(request.GET.get("building")) or 0).first()
    rows = []
    if building is not None:
        households = households_visible_to(request.user).filter(building=building).order_by("unit_no", "room_no")
        balances = dict(Account.objects.filter(household__in=households, kind=AccountKind.HOUSEHOLD)
                        .values_list("household_id", "balance"))
        rows = [{"household": h, "balance": balances.get(h.pk, 0)} for h in households]
    recent = selectors.awards_visible_to(request.user).filter(community=community).order_by("-created_at")[:20]
    return render(request, "ledger/home.html", {
        "community": community, "communities": communities, "behavior_list": current, "buildings": buildings,
        "building": building, "rows": rows, "recent": recent, "today": timezone.localdate(),
        "contested": selectors.awards_visible_to(request.user).filter(community=community,
                                                                      status=AwardStatus.CONTESTED).count(),
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def lists(request):
    """正负面清单 — the published list, and the draft being prepared (add items, publish)."""
    community, communities = chosen_community(request, LEDGER_READ_ROLES)
    draft = BehaviorList.objects.filter(community=community, status=ListStatus.DRAFT).first()
    if request.method == "POST":
        require(request.user, "ledger.manage_list", community)
        action = request.POST.get("action")
        if action == "draft":
            points.create_draft(community=community, actor=request.user, note=request.POST.get("note", ""))
        elif action == "publish" and draft:
            points.publish_list(behavior_list=draft, actor=request.user)
            messages.success(request, _("The list is published."))
        elif action == "add" and draft:
            cap = request.POST.get("cap_points") or None
            points.add_item(behavior_list=draft, actor=request.user, code=request.POST.get("code", "").strip(),
                            polarity=request.POST.get("polarity"), category=request.POST.get("category"),
                            name=request.POST.get("name", "").strip(),
                            points=_int(request.POST.get("points"), "points"),
                            evidence_required=request.POST.get("evidence_required") == "on",
                            cap_points=_int(cap, "cap_points") if cap else None,
                            cap_period=request.POST.get("cap_period", "") if cap else "")
        elif action == "remove" and draft:
            item = draft.items.filter(pk=int_or_none(request.POST.get("item")) or 0).first()
            if item:
                points.remove_item(item=item, actor=request.user)
        return back(request)
    return render(request, "ledger/lists.html", {
        "community": community, "communities": communities, "published": points.published_list(community),
        "draft": draft, "can_manage": request.user.has_perm("ledger.manage_list", community),
        "polarities": Polarity.choices, "categories": BehaviorCategory.choices, "periods": CapPeriod.choices,
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def contests(request):
    """申诉 — deductions households contested, for staff to uphold (reverse) or dismiss."""
    community, communities = chosen_community(request, LEDGER_MANAGE_ROLES)
    if request.method == "POST":
        award = selectors.access_award(request.user, int_or_none(request.POST.get("award")) or 0)
        require(request.user, "ledger.decide_award", award)
        points.decide_contest(award=award, actor=request.user, uphold=request.POST.get("uphold") == "1",
                              note=request.POST.get("note", ""))
        messages.success(request, _("Decision recorded."))
        return back(request)
    pending = (selectors.awards_visible_to(request.user).filter(community=community, status=AwardStatus.CONTESTED)
               .order_by("contested_at"))
    return render(request, "ledger/contests.html", {"community": community, "communities": communities,
                                                    "pending": pending})


@login_required
@domain_page
def rankings(request):
    """积分排名 — buildings (as posted) and households, for a period."""
    community, communities = chosen_community(request, LEDGER_READ_ROLES)
    start = _parse_date(request.GET.get("start"), "start")
    end = _parse_date(request.GET.get("end"), "end")
    building = places_visible_to(request.user).filter(kind=PlaceKind.BUILDING, community=community,
                                                      pk=int_or_none(request.GET.get("building")) or 0).first()
    households = selectors.household_ranking(community, building=building, start=start, end=end)
    return render(request, "ledger/rankings.html", {
        "community": community, "communities": communities, "start": start, "end": end, "building": building,
        "buildings": selectors.building_ranking(community, start=start, end=end), "households": households[:200],
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def shop_page(request):
    """兑换铺 — items (add, restock, take off the shelf) and orders waiting to be picked up."""
    community, communities = chosen_community(request, LEDGER_MANAGE_ROLES)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            require(request.user, "ledger.manage_shop", community)
            unit = ResidentUnit.objects.filter(community=community,
                                               pk=int_or_none(request.POST.get("unit")) or 0).first()
            shop.create_item(community=community, actor=request.user, unit=unit, name=request.POST.get("name", ""),
                             currency=request.POST.get("currency", ""), price=_int(request.POST.get("price"), "price"),
                             stock=_int(request.POST.get("stock") or 0, "stock"),
                             description=request.POST.get("description", ""))
        elif action in ("restock", "toggle"):
            item = selectors.access_shop_item(request.user, int_or_none(request.POST.get("item")) or 0)
            require(request.user, "ledger.manage_shop", item)
            if action == "restock":
                shop.restock(item=item, actor=request.user, quantity=_int(request.POST.get("quantity"), "quantity"))
            else:
                shop.change_item(item=item, actor=request.user, is_active=not item.is_active)
        elif action in ("pickup", "cancel"):
            order = selectors.access_order(request.user, int_or_none(request.POST.get("order")) or 0)
            require(request.user, "ledger.manage_shop", order)
            if action == "pickup":
                shop.pick_up(order=order, actor=request.user, pickup_code=request.POST.get("pickup_code", ""))
                messages.success(request, _("Handed over."))
            else:
                shop.cancel_order(order=order, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Cancelled and refunded."))
        return back(request)
    return render(request, "ledger/shop.html", {
        "community": community, "communities": communities,
        "items": selectors.shop_items_visible_to(request.user).filter(community=community),
        "orders": selectors.orders_visible_to(request.user).filter(community=community, status=OrderStatus.PLACED)
        .select_related("account__household__building__parent", "account__resident").order_by("created_at")[:200],
        "units": ResidentUnit.objects.filter(community=community),
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def funds_page(request):
    """社区基金 — funds, and a form to record donations, grants, spending and allocations."""
    community, communities = chosen_community(request, LEDGER_READ_ROLES)
    if request.method == "POST":
        if request.POST.get("action") == "open":
            require(request.user, "ledger.manage_fund", community)
            funds.open_fund(community=community, actor=request.user, name=request.POST.get("name", ""),
                            purpose=request.POST.get("purpose") or FundPurpose.OTHER,
                            project=request.POST.get("project", ""), is_public=request.POST.get("is_public") == "on")
        else:
            fund = selectors.access_fund(request.user, int_or_none(request.POST.get("fund")) or 0)
            require(request.user, "ledger.manage_fund", fund)
            other = None
            if request.POST.get("other_fund"):
                other = selectors.access_fund(request.user, int_or_none(request.POST.get("other_fund")) or 0)
            record = funds.record_fund_movement(
                fund=fund, actor=request.user, kind=request.POST.get("kind", ""),
                amount=_yuan_to_fen(request.POST.get("amount", "")), purpose=request.POST.get("purpose", ""),
                counterparty=request.POST.get("counterparty", ""),
                counterparty_is_person=request.POST.get("counterparty_is_person") == "on",
                anonymous=request.POST.get("anonymous") == "on", project=request.POST.get("project", ""),
                receipt_no=request.POST.get("receipt_no", ""),
                occurred_on=_parse_date(request.POST.get("occurred_on"), "occurred_on"), other_fund=other)
            for warning in record.transaction.warnings:
                messages.warning(request, warning)
            messages.success(request, _("Recorded."))
        return back(request)
    fund_rows = selectors.funds_visible_to(request.user).filter(community=community).order_by("pk")
    return render(request, "ledger/funds.html", {
        "community": community, "communities": communities, "funds": fund_rows,
        "kinds": FundRecordKind.choices, "purposes": FundPurpose.choices,
        "can_manage": request.user.has_perm("ledger.manage_fund", community),
    })


@login_required
@domain_page
def fund_statement(request, fund_id: int):
    fund = selectors.access_fund(request.user, fund_id)
    statement = selectors.fund_statement(fund, start=_parse_date(request.GET.get("start"), "start"),
                                         end=_parse_date(request.GET.get("end"), "end"))
    return render(request, "ledger/statement.html", {"s": statement, "public": False})

