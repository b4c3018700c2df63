"""照料券: care vouchers issued to elders through the ledger (currency ``voucher``), spent at registered providers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CareProvider(models.Model):
    """照料服务机构 — a resident unit or merchant (catalog's directory) registered to accept care vouchers."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the community's path
    unit = models.OneToOneField("registry.ResidentUnit", on_delete=models.PROTECT, related_name="care_provider")
    services = models.CharField(_("care services"), max_length=200)  # 短期住养、喘息照护、助浴…
    is_active = models.BooleanField(_("accepting vouchers"), default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community_id", "id"]

    def __str__(self) -> str:
        return str(self.unit)


class VoucherGrant(models.Model):
    """照料券发放 — one resident's vouchers for one year; what is unspent at year end is taken back (到期冲回)."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the resident's building path
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="voucher_grants")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveIntegerField(_("amount (fen)"))
    expires_on = models.DateField(_("valid until"))
    transaction = models.OneToOneField("ledger.Transaction", on_delete=models.PROTECT, related_name="+")
    expired_at = models.DateTimeField(null=True, blank=True)
    expired_amount = models.PositiveIntegerField(default=0)
    expiry = models.OneToOneField("ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "resident_id"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "year"], name="voucher_grant_once_a_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_grant_amount_positive"),
            models.CheckConstraint(condition=Q(expired_amount__lte=F("amount")), name="voucher_expired_not_above"),
            models.CheckConstraint(condition=Q(expired_amount=0) | Q(expiry__isnull=False),
                                   name="voucher_expired_has_transaction"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} {self.year}"


class VoucherRedemption(models.Model):
    """照料券使用 — vouchers a resident spent at a registered provider, for a care service."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the resident's building path
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="voucher_redemptions")
    provider = models.ForeignKey(CareProvider, on_delete=models.PROTECT, related_name="redemptions")
    amount = models.PositiveIntegerField(_("amount (fen)"))
    service = models.CharField(_("service"), max_length=200)
    transaction = models.OneToOneField("ledger.Transaction", on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=100, unique=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_redemption_positive")]

    def __str__(self) -> str:
        return f"{self.resident} → {self.provider} {self.amount}"
