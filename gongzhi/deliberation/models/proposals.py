from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import ProposalAction, ProposalCategory, ProposalSource, ProposalStatus, SupportUnit


class DeliberationPolicy(models.Model):
    """议事规则 — a community's settings: support unit, talk-day date, publicity length."""

    community = models.OneToOneField("registry.Place", on_delete=models.PROTECT, related_name="deliberation_policy")
    support_unit = models.CharField(
        _("support counted"), max_length=10, choices=SupportUnit, default=SupportUnit.RESIDENT
    )
    talk_day = models.PositiveSmallIntegerField(_("talk day of the month"), default=10)  # 居民恳谈日
    publicity_working_days = models.PositiveSmallIntegerField(_("publicity working days"), default=5)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(talk_day__gte=1, talk_day__lte=28), name="policy_talk_day_1_28"),
            models.CheckConstraint(
                condition=Q(publicity_working_days__gte=1, publicity_working_days__lte=60),
                name="policy_publicity_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community_id}"


class ProposalQuerySet(models.QuerySet):
    def in_period(self, period):
        return self.filter(period=period)

    def with_support_count(self):
        return self.annotate(support_count=models.Count("supports", distinct=True))


class Proposal(models.Model):
    """议题 (居民提案) — a problem and a proposed solution raised by residents, ranked by support.

    ``period`` is the first day of the month it belongs to: ranking by support is within a period.
    ``support_unit`` is copied from the community's policy when the proposal is made, so changing the
    policy never changes how an existing proposal's supports are counted.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "registry.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )  # 涉及的小区/楼栋
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the place's (or community's) path
    title = models.CharField(_("title"), max_length=120)
    problem = models.TextField(_("problem"))  # 问题
    solution = models.TextField(_("proposed solution"), blank=True)  # 建议解决方案
    category = models.CharField(_("category"), max_length=16, choices=ProposalCategory, default=ProposalCategory.OTHER)
    author = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    source = models.CharField(_("source"), max_length=16, choices=ProposalSource, default=ProposalSource.ONLINE)
    source_note = models.CharField(_("source details"), max_length=200, blank=True)  # e.g. "3号楼意见箱 11月3日"
    # The record it came from, e.g. an appeal sent to deliberation (一事一议): "appeals.appeal" / "123".
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("month"), db_index=True)
    support_unit = models.CharField(max_length=10, choices=SupportUnit, editable=False)
    status = models.CharField(
        _("status"), max_length=14, choices=ProposalStatus, default=ProposalStatus.SUBMITTED, editable=False
    )
    answer = models.TextField(_("official answer"), blank=True)  # 答复
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-created_at", "-id"]
        indexes = [models.Index(fields=["community", "period", "status"], name="proposal_comm_period")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.MERGED) | Q(merged_into__isnull=False),
                name="merged_proposal_has_target",
            ),
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.MERGED) | Q(merged_into__isnull=True),
                name="only_merged_proposal_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.NOT_ACCEPTED) | ~Q(answer=""),
                name="not_accepted_proposal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(source=ProposalSource.ONLINE, author__isnull=False) | ~Q(source=ProposalSource.ONLINE),
                name="online_proposal_has_author",
            ),
            models.CheckConstraint(
                condition=Q(source_type="", source_id="") | (~Q(source_type="") & ~Q(source_id="")),
                name="proposal_source_record_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProposalEvent(models.Model):
    """议题动态 — one step of a proposal's way; the timeline and its audit trail."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=ProposalAction)
    from_status = models.CharField(max_length=14, choices=ProposalStatus, blank=True)
    to_status = models.CharField(max_length=14, choices=ProposalStatus)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.action}"


class Support(models.Model):
    """附议 — one resident's (or household's) support for a proposal.

    One per resident always; with ``unit == household`` also one per household. Both rules are
    unique constraints, so the database refuses a second support however it arrives.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=10, choices=SupportUnit)
    channel = models.CharField(max_length=16, choices=ProposalSource, default=ProposalSource.ONLINE)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "resident"], name="support_one_per_resident"),
            models.UniqueConstraint(
                fields=["proposal", "household"],
                condition=Q(unit=SupportUnit.HOUSEHOLD),
                name="support_one_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}:{self.resident_id}"
