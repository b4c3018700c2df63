from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.party.enums import Function

from ..enums import ObjectionStatus, PublicityStatus


class Publicity(models.Model):
    """公示 — a decision published for a number of working days, open to objections.

    ``ends_on`` is computed from ``starts_on`` and ``working_days`` with the official calendar of
    working days (holidays and adjusted weekends); objections are received through the end of that day.
    The project the decision will become (committee and budget) is part of what is published.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    proposal = models.ForeignKey("Proposal", on_delete=models.PROTECT, related_name="publicities")
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("decision"))  # 公示内容
    project_function = models.CharField(_("responsible committee"), max_length=20, choices=Function)
    project_organization = models.ForeignKey(
        "party.PartyOrganization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    project_budget_fen = models.BigIntegerField(_("budget (fen)"), default=0)
    starts_on = models.DateField(_("published on"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    ends_on = models.DateField(_("ends on"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=PublicityStatus, default=PublicityStatus.RUNNING, editable=False
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="publicity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(project_budget_fen__gte=0), name="publicity_budget_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(status=PublicityStatus.RUNNING, closed_at__isnull=True)
                | ~Q(status=PublicityStatus.RUNNING) & Q(closed_at__isnull=False),
                name="publicity_closed_iff_not_running",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(status=PublicityStatus.RUNNING),
                name="one_running_publicity_per_proposal",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Objection(models.Model):
    """异议 — an objection to a publicity, answered: upheld (back to deliberation) or dismissed."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="objections")
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("objection"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ObjectionStatus, default=ObjectionStatus.PENDING, editable=False
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["publicity", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.PENDING) | ~Q(answer="") & Q(answered_at__isnull=False),
                name="answered_objection_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:40]
