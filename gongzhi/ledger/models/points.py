from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import AwardEvent, AwardStatus, BehaviorCategory, CapPeriod, ListStatus, Polarity


class BehaviorList(models.Model):
    """正面/负面行为清单 — a community's behaviours and their points; drafted, then published as a new version.

    Only a draft is edited. Publishing supersedes the previous version; awards keep pointing at the item of
    the version they were made under.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=ListStatus, default=ListStatus.DRAFT,
                              editable=False)
    title = models.CharField(_("title"), max_length=100)
    note = models.TextField(_("note"), blank=True)  # e.g. "居民代表大会 2024-03-01 通过"
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["community_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["community", "version"], name="behavior_list_unique_version"),
            models.UniqueConstraint(fields=["community"], condition=Q(status=ListStatus.PUBLISHED),
                                    name="behavior_list_one_published"),
            models.UniqueConstraint(fields=["community"], condition=Q(status=ListStatus.DRAFT),
                                    name="behavior_list_one_draft"),
            models.CheckConstraint(condition=Q(status=ListStatus.DRAFT) | Q(published_at__isnull=False),
                                   name="behavior_list_published_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class BehaviorItem(models.Model):
    """积分事项 — one behaviour on the list: its points, whether evidence is required and a cap per period.

    ``code`` stays the same across versions, so a cap counts awards made under earlier versions too. An item
    keyed to an ``event`` (at most one per event and list) is awarded automatically, never deducted.
    """

    behavior_list = models.ForeignKey(BehaviorList, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=20)
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity)
    category = models.CharField(_("category"), max_length=16, choices=BehaviorCategory)
    name = models.CharField(_("behaviour"), max_length=200)
    points = models.PositiveIntegerField(_("points"))
    evidence_required = models.BooleanField(_("evidence required"), default=True)
    cap_points = models.PositiveIntegerField(_("cap (points per period)"), null=True, blank=True)
    cap_period = models.CharField(_("cap period"), max_length=8, choices=CapPeriod, blank=True)
    sort = models.PositiveIntegerField(default=0)
    # Keyed to an event: awarded automatically (once per event) when it happens; see services/events.py.
    event = models.CharField(_("awarded automatically for"), max_length=24, choices=AwardEvent, blank=True)

    class Meta:
        ordering = ["behavior_list_id", "polarity", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["behavior_list", "code"], name="behavior_item_unique_code"),
            models.CheckConstraint(condition=Q(points__gt=0), name="behavior_item_points_positive"),
            models.CheckConstraint(
                condition=Q(cap_points__isnull=True, cap_period="") | Q(cap_points__gt=0) & ~Q(cap_period=""),
                name="behavior_item_cap_complete",
            ),
            models.UniqueConstraint(fields=["behavior_list", "event"], condition=~Q(event=""),
                                    name="behavior_item_one_per_event"),
            models.CheckConstraint(condition=Q(event="") | Q(polarity=Polarity.POSITIVE),
                                   name="behavior_item_event_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PointsAward(models.Model):
    """积分记录 — points awarded to a household for a positive behaviour, or deducted for a negative one.

    ``points`` is what the list item says and what rankings count; ``points_posted`` is what actually moved
    in the ledger, which for a deduction is at most the household's balance (points never go below zero).
    A deduction may be contested (申诉) by the household; staff uphold it (the ledger entry is reversed) or
    dismiss it.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="points_awards")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the household's building path
    item = models.ForeignKey(BehaviorItem, on_delete=models.PROTECT, related_name="awards")
    item_code = models.CharField(max_length=20, editable=False)
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity, editable=False)
    points = models.PositiveIntegerField(_("points"))
    points_posted = models.PositiveIntegerField(default=0, editable=False)
    evidence = models.TextField(_("evidence"), blank=True)
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AwardStatus, default=AwardStatus.POSTED,
                              editable=False)
    transaction = models.OneToOneField("ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="points_award")
    reversal = models.OneToOneField("ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    request_key = models.CharField(max_length=100, null=True, blank=True, unique=True)  # idempotency
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    contest_reason = models.TextField(_("contest reason"), blank=True)
    contested_at = models.DateTimeField(null=True, blank=True)
    contested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["community", "occurred_on"], name="award_community_day"),
                   models.Index(fields=["household", "item_code", "occurred_on"], name="award_household_item")]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="award_points_positive"),
            models.CheckConstraint(condition=Q(points_posted__lte=models.F("points")),
                                   name="award_posted_not_above_points"),
            models.CheckConstraint(condition=Q(points_posted=0) | Q(transaction__isnull=False),
                                   name="award_posted_has_transaction"),
            models.CheckConstraint(
                condition=Q(polarity=Polarity.NEGATIVE) | ~Q(status__in=[AwardStatus.CONTESTED,
                                                                         AwardStatus.UPHELD,
                                                                         AwardStatus.DISMISSED]),
                name="award_only_deductions_contested",
            ),
        ]

    def __str__(self) -> str:
        sign = "+" if self.polarity == Polarity.POSITIVE else "-"
        return f"{self.household} {sign}{self.points} {self.item_code}"

    @property
    def signed_points(self) -> int:
        return self.points if self.polarity == Polarity.POSITIVE else -self.points
