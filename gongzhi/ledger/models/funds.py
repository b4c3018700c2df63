from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.core.masking import mask_name

from ..enums import FundRecordKind


class FundRecord(models.Model):
    """基金收支记录 — one donation, grant, spending or allocation of a community fund (amounts in fen).

    The money moves in the ledger transaction; this row says who gave or received it, what for and under
    which receipt, and is what the public statement lists. A person's name is masked on public pages.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="fund_records")
    other_fund = models.ForeignKey("ledger.Account", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")  # allocation: the fund credited
    kind = models.CharField(_("kind"), max_length=12, choices=FundRecordKind)
    amount = models.PositiveBigIntegerField(_("amount (fen)"))
    counterparty = models.CharField(_("donor or payee"), max_length=100, blank=True)
    counterparty_is_person = models.BooleanField(_("a private person"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    purpose = models.CharField(_("purpose"), max_length=200)
    project = models.CharField(_("project"), max_length=200, blank=True)
    receipt_no = models.CharField(_("receipt number"), max_length=50, blank=True)
    occurred_on = models.DateField(_("date"), db_index=True)
    transaction = models.OneToOneField("ledger.Transaction", on_delete=models.PROTECT, related_name="fund_record")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_record_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind=FundRecordKind.ALLOCATION, other_fund__isnull=False)
                | (~Q(kind=FundRecordKind.ALLOCATION) & Q(other_fund__isnull=True)),
                name="fund_record_allocation_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount / 100:.2f}"

    def public_counterparty(self) -> str:
        if self.anonymous:
            return str(_("anonymous"))
        return mask_name(self.counterparty) if self.counterparty_is_person else self.counterparty
