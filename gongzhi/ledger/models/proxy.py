from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ConsentMethod


class ProxyAuthorizationQuerySet(models.QuerySet):
    def active(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), revoked_at__isnull=True)


class ProxyAuthorization(models.Model):
    """代理授权 — a relative acts for an elder: sees their balances, spends and gives their time coins, asks
    for and confirms services. Recorded by staff with how the elder consented; revocable.
    """

    principal = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="proxies")
    agent = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="proxy_for")
    relation = models.CharField(_("relation"), max_length=30)  # e.g. 女儿
    consent_method = models.CharField(_("consent"), max_length=12, choices=ConsentMethod)
    consent_note = models.CharField(_("consent record"), max_length=200)  # e.g. where the signed form is kept
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the principal's building path
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoke_reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ProxyAuthorizationQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(principal=F("agent")), name="proxy_not_self"),
            models.UniqueConstraint(fields=["principal", "agent"], condition=Q(revoked_at__isnull=True),
                                    name="proxy_one_active_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} → {self.principal}"
