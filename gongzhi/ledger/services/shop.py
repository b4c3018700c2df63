"""兑换铺: items, orders, pick-up and cancellation. Never oversold.

Stock is taken with one conditional UPDATE (``stock >= quantity``) in the same database transaction as the
payment: either both happen or neither. Payment goes into the community's clearing account; pick-up settles
it to the sink (community items) or to the merchant's account; cancellation refunds it and puts the stock
back. Lock order everywhere: order row, item row, then accounts (by id, in posting), so no deadlocks.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent

from ..enums import AccountKind, Currency, OrderStatus, TxKind
from ..errors import IllegalState
from ..models import Account, ShopItem, ShopOrder
from . import checked, posting


class OutOfStock(IllegalState):
    code = "out_of_stock"


ITEM_FIELDS = ("name", "description", "price", "per_order_limit", "is_active")


@transaction.atomic
def create_item(*, community, actor, name: str, currency: str, price: int, stock: int = 0, unit=None,
                description: str = "", per_order_limit: int = 5) -> ShopItem:
    if unit is not None and unit.community_id != community.pk:
        raise InvalidInput(_("The merchant is not in this community."), field="unit")
    item = ShopItem(community=community, unit=unit, name=name.strip(), description=description, currency=currency,
                    price=price, stock=stock, per_order_limit=per_order_limit)
    checked(item).save()
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=item, scope_path=community.path)
    return item


@transaction.atomic
def change_item(*, item: ShopItem, actor, **fields) -> ShopItem:
    """Change name, description, price, limit or whether it is on offer. Orders keep the price they paid."""
    for name, value in fields.items():
        if name in ITEM_FIELDS and value is not None:
            setattr(item, name, value)
    checked(item).save(update_fields=[*ITEM_FIELDS])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=item, scope_path=item.community.path,
                 data={k: v for k, v in fields.items() if v is not None})
    return item


@transaction.atomic
def restock(*, item: ShopItem, actor, quantity: int) -> ShopItem:
    """Add ``quantity`` (negative to write off); never below zero."""
    if quantity == 0:
        raise InvalidInput(_("Give a quantity other than zero."), field="quantity")
    updated = ShopItem.objects.filter(pk=item.pk, stock__gte=max(-quantity, 0)).update(stock=F("stock") + quantity)
    if not updated:
        raise OutOfStock(_("Cannot write off more than is in stock."))
    item.refresh_from_db(fields=["stock"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=item, scope_path=item.community.path,
                 data={"restock": quantity, "stock": item.stock})
    return item


def payer_account(item: ShopItem, resident) -> Account:
    """Points are the household's; time coins are the resident's own."""
    if item.currency == Currency.POINTS:
        return posting.household_account(resident.household)
    return posting.resident_account(resident)


def place_order(*, item: ShopItem, resident, actor, quantity: int = 1, idempotency_key: str = "") -> ShopOrder:
    """Order ``quantity`` of ``item`` for ``resident`` (their household pays points, they pay time coins).

    Raises OutOfStock when the stock is short (nothing is charged), InsufficientBalance when the balance is
    short (no stock is taken). The same ``idempotency_key`` returns the order already placed.
    """
    key = idempotency_key or secrets.token_hex(16)
    existing = ShopOrder.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _place(item=item, resident=resident, actor=actor, quantity=quantity, key=key)
    except IntegrityError:
        existing = ShopOrder.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing


def _place(*, item, resident, actor, quantity, key) -> ShopOrder:
    if resident.community_id != item.community_id:
        raise InvalidInput(_("This shop is for residents of its own community."), field="item")
    if not 1 <= quantity <= item.per_order_limit:
        raise InvalidInput(_("Order between 1 and %(n)s at a time.") % {"n": item.per_order_limit}, field="quantity")
    taken = ShopItem.objects.filter(pk=item.pk, is_active=True, stock__gte=quantity).update(
        stock=F("stock") - quantity)
    if not taken:
        raise OutOfStock(_("Sorry, this item is out of stock or no longer offered."))
    fresh = ShopItem.objects.get(pk=item.pk)  # the price as of now
    account = payer_account(fresh, resident)
    clearing = posting.system_account(fresh.community, AccountKind.CLEARING, fresh.currency)
    total = fresh.price * quantity
    payment = posting.post(community=fresh.community, kind=TxKind.ORDER, actor=actor,
                           memo=f"{fresh.name} × {quantity}"[:200], idempotency_key=f"shop-order:{key}",
                           legs=[(account, -total), (clearing, total)])
    order = ShopOrder.objects.create(community=fresh.community, item=fresh, account=account, path=account.path,
                                     placed_by=actor, quantity=quantity, unit_price=fresh.price, total=total,
                                     pickup_code=f"{secrets.randbelow(10**6):06d}", idempotency_key=key,
                                     payment=payment)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=order, data={"item": fresh.pk, "total": total})
    return order


@transaction.atomic
def pick_up(*, order: ShopOrder, actor, pickup_code: str) -> ShopOrder:
    """The buyer collects the item: the payment leaves clearing for the sink or the merchant."""
    order = ShopOrder.objects.select_for_update(of=("self",)).select_related("item__unit").get(pk=order.pk)
    if order.status != OrderStatus.PLACED:
        raise IllegalState(_("This order is not waiting to be picked up."))
    if not secrets.compare_digest(order.pickup_code, (pickup_code or "").strip()):
        raise InvalidInput(_("The pick-up code is wrong."), field="pickup_code")
    item = order.item
    currency = item.currency
    clearing = posting.system_account(order.community, AccountKind.CLEARING, currency)
    payee = (posting.unit_account(item.unit, currency) if item.unit_id
             else posting.system_account(order.community, AccountKind.SINK, currency))
    order.settlement = posting.post(community=order.community, kind=TxKind.PICKUP, actor=actor,
                                    memo=f"{item.name} × {order.quantity}"[:200],
                                    idempotency_key=f"shop-pickup:{order.pk}",
                                    legs=[(clearing, -order.total), (payee, order.total)])
    order.status, order.closed_at, order.closed_by = OrderStatus.PICKED_UP, timezone.now(), actor
    order.save(update_fields=["status", "settlement", "closed_at", "closed_by"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=order, data={"step": "pickup"})
    return order


@transaction.atomic
def cancel_order(*, order: ShopOrder, actor, reason: str = "") -> ShopOrder:
    """Cancel an order not yet picked up: the payment is refunded and the stock put back."""
    order = ShopOrder.objects.select_for_update(of=("self",)).select_related("item").get(pk=order.pk)
    if order.status != OrderStatus.PLACED:
        raise IllegalState(_("Only an order waiting to be picked up can be cancelled."))
    ShopItem.objects.filter(pk=order.item_id).update(stock=F("stock") + order.quantity)
    clearing = posting.system_account(order.community, AccountKind.CLEARING, order.item.currency)
    order.refund = posting.post(community=order.community, kind=TxKind.REFUND, actor=actor,
                                memo=f"{order.item.name} × {order.quantity}"[:200],
                                idempotency_key=f"shop-refund:{order.pk}",
                                legs=[(clearing, -order.total), (order.account, order.total)])
    order.status, order.closed_at, order.closed_by = OrderStatus.CANCELLED, timezone.now(), actor
    order.cancel_reason = reason.strip()[:200]
    order.save(update_fields=["status", "refund", "closed_at", "closed_by", "cancel_reason"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=order, data={"step": "cancel"})
    return order
