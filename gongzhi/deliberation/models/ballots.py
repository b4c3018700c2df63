import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import BallotMode, BallotOutcome, BallotRule, BallotStatus, Channel, Choice, MatterKind


class Ballot(models.Model):
    """表决 — a vote on a proposal or a pact version, by residents, households or owners.

    Thresholds are exact fractions ``num/den``; ``*_inclusive`` says whether reaching the fraction is
    enough (民法典第一千二百五十九条: "以上" includes the number itself; "过半数" does not). The electorate
    is frozen into ``BallotElector`` rows when the ballot opens, so the denominators never move while
    people vote. The result is computed from the rows (``tally.py``); nothing here is typed in.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the community's path
    title = models.CharField(_("title"), max_length=120)
    question = models.TextField(_("question"))
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    charter_version = models.ForeignKey(
        "CharterVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="ballots"
    )
    electorate = models.ManyToManyField("registry.Place", related_name="+")  # 表决范围: 小区/楼栋…
    rule = models.CharField(_("rule"), max_length=16, choices=BallotRule)
    matter = models.CharField(_("matter"), max_length=10, choices=MatterKind, default=MatterKind.ORDINARY)
    mode = models.CharField(_("mode"), max_length=8, choices=BallotMode, default=BallotMode.SECRET)
    quorum_num = models.PositiveSmallIntegerField()
    quorum_den = models.PositiveSmallIntegerField()
    quorum_inclusive = models.BooleanField()
    approval_num = models.PositiveSmallIntegerField()
    approval_den = models.PositiveSmallIntegerField()
    approval_inclusive = models.BooleanField()
    opens_at = models.DateTimeField(_("online voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("online voting closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BallotStatus, default=BallotStatus.DRAFT, editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=BallotOutcome, blank=True, editable=False)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_den__gt=0, quorum_num__lte=F("quorum_den")), name="ballot_quorum_fraction"
            ),
            models.CheckConstraint(
                condition=Q(approval_den__gt=0, approval_num__gt=0, approval_num__lte=F("approval_den")),
                name="ballot_approval_fraction",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="ballot_window_order",
            ),
            models.CheckConstraint(
                condition=Q(proposal__isnull=True) | Q(charter_version__isnull=True),
                name="ballot_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(status=BallotStatus.CLOSED, closed_at__isnull=False) & ~Q(outcome="")
                | ~Q(status=BallotStatus.CLOSED) & Q(outcome=""),
                name="closed_ballot_has_outcome",
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(status__in=[BallotStatus.DRAFT, BallotStatus.OPEN]),
                name="one_live_ballot_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["charter_version"],
                condition=Q(status__in=[BallotStatus.DRAFT, BallotStatus.OPEN]),
                name="one_live_ballot_per_version",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_secret(self) -> bool:
        return self.mode == BallotMode.SECRET

    @property
    def weighs_area(self) -> bool:
        return self.rule == BallotRule.OWNERS_DOUBLE_MAJORITY


class BallotElector(models.Model):
    """表决权人名册 — one entitled voter, frozen when the ballot opens.

    Per-resident ballots list residents (``resident`` set); household and owners' ballots list
    households (``resident`` empty) with the floor area each one weighs.
    """

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "resident"],
                condition=Q(resident__isnull=False),
                name="elector_resident_once",
            ),
            models.UniqueConstraint(
                fields=["ballot", "household"],
                condition=Q(resident__isnull=True),
                name="elector_household_once",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gt=0), name="elector_area_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.resident_id or self.household_id}"


class Participation(models.Model):
    """参与表决记录 — that an elector has voted (not how). One per elector, enforced by the database."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    elector = models.OneToOneField(BallotElector, on_delete=models.PROTECT, related_name="participation")
    cast_by = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the person who voted for the elector
    channel = models.CharField(max_length=8, choices=Channel)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # staff entering a meeting or paper vote
    cast_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ballot", "cast_at"], name="participation_ballot")]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.elector_id}"


class Vote(models.Model):
    """票 — a choice. In a secret ballot it carries no link to who cast it, nor a time.

    The key is random so row order does not pair votes with participations; the area is the
    weight an owners' vote needs.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=8, choices=Choice)
    area = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    participation = models.OneToOneField(
        Participation, null=True, blank=True, on_delete=models.PROTECT, related_name="vote"
    )  # open ballots only

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.pk}"
