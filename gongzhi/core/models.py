from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """审计日志 — who did what to which record, when, from where. Append-only.

    ``scope_path`` is the place path of the record touched, so a secretary reads the log of her
    community with one range query. Never holds personal data in clear: reveals record the reason,
    not the value.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("log in")
        LOGIN_FAILED = "login_failed", _("failed login")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        ARCHIVE = "archive", _("archive")
        REVEAL = "reveal", _("reveal personal data")
        IMPORT = "import", _("import")
        EXPORT = "export", _("export")
        TOKEN = "token", _("issue API token")

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    field = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    scope_path = models.CharField(max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="reveal") | ~models.Q(reason=""), name="reveal_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"
