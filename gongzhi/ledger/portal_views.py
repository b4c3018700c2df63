"""Resident portal pages (/my/ledger/): balances and history, contests, the shop; and the public page of a
community's rankings, behaviour list and fund statements (no login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.core.errors import Forbidden, InvalidInput
from gongzhi.core.permissions import require
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import selectors
from .enums import Polarity
from .identity import acting_residents
from .models import ShopOrder
from .pages import back, domain_page, int_or_none
from .services import points, shop


def _holder_accounts(user):
    residents = acting_residents(user)
    if not residents:
        raise Forbidden(_("Your login is not linked to a registered resident yet."))
    mine = Q(household_id__in={r.household_id for r in residents}) | Q(resident_id__in=[r.pk for r in residents])
    return residents, selectors.accounts_visible_to(user).filter(mine)


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def home(request):
    """我的积分与时间币 — balances, recent history, the household's points records (contest a deduction)."""
    residents, accounts = _holder_accounts(request.user)
    if request.method == "POST":
        award = selectors.access_award(request.user, int_or_none(request.POST.get("award")) or 0)
        require(request.user, "ledger.contest_award", award)
        points.contest_deduction(award=award, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Your contest was sent to the community."))
        return back(request)
    accounts = list(accounts.order_by("kind", "pk"))
    history = {a.pk: list(selectors.account_entries(a)[:10]) for a in accounts}
    awards = (selectors.awards_visible_to(request.user)
              .filter(household_id__in={r.household_id for r in residents}).order_by("-occurred_on", "-id")[:30])
    return render(request, "ledger_portal/home.html", {
        "me": residents[0], "accounts": [{"account": a, "entries": history[a.pk]} for a in accounts],
        "awards": awards, "negative": Polarity.NEGATIVE,
    })


@login_required
@domain_page
@require_http_methods(["GET", "POST"])
def shop_page(request):
    """兑换铺 — what I can take with my household's points or my time coins; my orders and pick-up codes."""
    residents, accounts = _holder_accounts(request.user)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            order = selectors.access_order(request.user, int_or_none(request.POST.get("order")) or 0)
            require(request.user, "ledger.cancel_order", order)
            shop.cancel_order(order=order, actor=request.user, reason=_("cancelled by the buyer"))
            messages.success(request, _("Cancelled and refunded."))
        else:
            item = selectors.access_shop_item(request.user, int_or_none(request.POST.get("item")) or 0)
            resident = next((r for r in residents if str(r.pk) == request.POST.get("resident")), residents[0])
            try:
                quantity = int(request.POST.get("quantity") or 1)
            except ValueError:
                raise InvalidInput(_("Enter a whole number."), field="quantity") from None
            order = shop.place_order(item=item, resident=resident, actor=request.user, quantity=quantity,
                                     idempotency_key=request.POST.get("idempotency_key", "")[:100])
            messages.success(request, _("Ordered. Your pick-up code is %(code)s.") % {"code": order.pickup_code})
        return back(request)
    communities = {r.community_id for r in residents}
    items = selectors.shop_items_visible_to(request.user).filter(community_id__in=communities, is_active=True)
    orders = (ShopOrder.objects.filter(account__in=accounts).select_related("item").order_by("-created_at")[:30])
    return render(request, "ledger_portal/shop.html", {"residents": residents, "accounts": accounts, "items": items,
                                                       "orders": orders})


@require_GET
def public(request, community_id: int):
    """公示 — building ranking, the behaviour list and the public funds' statements; no login, no names."""
    community = get_object_or_404(Place, pk=community_id, kind=PlaceKind.COMMUNITY)
    statements = [selectors.fund_statement(f) for f in selectors.public_funds(community.pk)]
    return render(request, "ledger_portal/public.html", {
        "community": community, "buildings": selectors.building_ranking(community),
        "behavior_list": points.published_list(community), "statements": statements,
    })
