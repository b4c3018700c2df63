from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import Currency, OrderStatus


class ShopItem(models.Model):
    """兑换铺商品 — something a household takes for points, or a resident for time coins.

    Offered by the community (``unit`` empty) or by a merchant or resident unit, whose account is credited
    when the order is picked up. ``stock`` only changes by conditional updates (services/shop.py), and the
    database refuses a negative stock.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.ResidentUnit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="shop_items")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    currency = models.CharField(_("currency"), max_length=8, choices=Currency)
    price = models.PositiveIntegerField(_("price"))
    stock = models.PositiveIntegerField(_("stock"), default=0)
    per_order_limit = models.PositiveSmallIntegerField(_("limit per order"), default=5)
    is_active = models.BooleanField(_("on offer"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community_id", "-is_active", "currency", "price", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="shop_item_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="shop_item_stock_not_negative"),
            models.CheckConstraint(condition=Q(currency__in=[Currency.POINTS, Currency.TIME]),
                                   name="shop_item_currency_points_or_time"),
            models.CheckConstraint(condition=Q(per_order_limit__gt=0), name="shop_item_limit_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ShopOrder(models.Model):
    """兑换订单 — an order paid into the community's clearing account, settled on pick-up or refunded."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(ShopItem, on_delete=models.PROTECT, related_name="orders")
    account = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="shop_orders")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the paying account's path
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    unit_price = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus, default=OrderStatus.PLACED,
                              editable=False)
    pickup_code = models.CharField(max_length=6, editable=False)
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    payment = models.OneToOneField("ledger.Transaction", on_delete=models.PROTECT, related_name="+")
    settlement = models.OneToOneField("ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    refund = models.OneToOneField("ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shop_order_quantity_positive"),
            models.CheckConstraint(condition=Q(total=F("quantity") * F("unit_price")), name="shop_order_total"),
            models.CheckConstraint(
                condition=Q(status=OrderStatus.PLACED, settlement__isnull=True, refund__isnull=True,
                            closed_at__isnull=True)
                | Q(status=OrderStatus.PICKED_UP, settlement__isnull=False, refund__isnull=True,
                    closed_at__isnull=False)
                | Q(status=OrderStatus.CANCELLED, settlement__isnull=True, refund__isnull=False,
                    closed_at__isnull=False),
                name="shop_order_status_matches_ledger",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
