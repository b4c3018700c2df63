from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .enums import (
    ActivityStatus,
    Funding,
    RecordStatus,
    RequestStatus,
    ServiceCategory,
    SignupStatus,
    TeamKind,
    WishCategory,
    WishStatus,
)


class Team(models.Model):
    """志愿服务队 — health, culture, neighbour visits, school escort, mediation, home repair …"""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    leader = models.ForeignKey("Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Volunteer(models.Model):
    """志愿者 — a resident registered to volunteer; the time coins they earn go to their own account."""

    resident = models.OneToOneField("registry.Resident", on_delete=models.PROTECT, related_name="volunteer")
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    registered_on = models.DateField(_("registered on"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["community_id", "id"]

    def __str__(self) -> str:
        return str(self.resident)


class Activity(models.Model):
    """志愿活动 — an event volunteers sign up for, check in and out of; attended minutes earn time coins."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus, default=ActivityStatus.OPEN,
                              editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="activity_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def planned_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ServiceRecord(models.Model):
    """服务时长记录 — minutes a volunteer served; paid in time coins only once confirmed.

    Confirmed by the served resident (or their proxy) for a service request, by staff for an activity.
    The coins come from ``payer`` (the served resident's account, or the community's issuance account).
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the volunteer's building path
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="records")
    served = models.ForeignKey("registry.Resident", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="services_received")
    payer = models.ForeignKey("ledger.Account", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("service"), max_length=200)
    served_on = models.DateField(_("date"), db_index=True)
    minutes = models.PositiveIntegerField(_("minutes"))
    status = models.CharField(_("status"), max_length=10, choices=RecordStatus, default=RecordStatus.PENDING,
                              editable=False)
    payment = models.OneToOneField("ledger.Transaction", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="service_record")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0, minutes__lte=12 * 60), name="record_minutes_range"),
            models.CheckConstraint(
                condition=Q(status=RecordStatus.CONFIRMED, payment__isnull=False)
                | (~Q(status=RecordStatus.CONFIRMED) & Q(payment__isnull=True)),
                name="record_confirmed_iff_paid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.minutes}′ {self.served_on}"


class Signup(models.Model):
    """活动报名 — a volunteer's place at an activity, with check-in and check-out times."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="signups")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    status = models.CharField(_("status"), max_length=12, choices=SignupStatus, default=SignupStatus.SIGNED_UP,
                              editable=False)
    signed_up_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    record = models.OneToOneField(ServiceRecord, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="signup")

    class Meta:
        ordering = ["activity_id", "signed_up_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "volunteer"], name="signup_once_per_activity"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=F("checked_in_at")),
                name="signup_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} @ {self.activity}"


class ServiceRequest(models.Model):
    """服务需求 — a resident (often an elder, or a relative acting for them) asks for help; a volunteer is
    matched, does it and reports the minutes; the served party or staff confirms, and only then coins move.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the requester's building path
    requester = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="service_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=ServiceCategory)
    description = models.TextField(_("what is needed"))
    wanted_at = models.DateTimeField(_("wanted at"), null=True, blank=True)
    funding = models.CharField(_("paid by"), max_length=10, choices=Funding, default=Funding.COMMUNITY)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus, default=RequestStatus.OPEN,
                              editable=False)
    volunteer = models.ForeignKey(Volunteer, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="requests")
    matched_at = models.DateTimeField(null=True, blank=True)
    record = models.OneToOneField(ServiceRecord, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="request")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN) | Q(status=RequestStatus.CANCELLED)
                | Q(volunteer__isnull=False),
                name="request_matched_has_volunteer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.DONE, RequestStatus.CONFIRMED]) | Q(record__isnull=False),
                name="request_done_has_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.requester}"


class MicroWish(models.Model):
    """微心愿 — a small wish of a resident (often an elder or a child in need), claimed and fulfilled by a
    party member (党员认领微心愿), then confirmed by the resident or staff. Shown on a public board with names
    masked.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    beneficiary = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="wishes")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("wish"), max_length=100)
    description = models.TextField(_("details"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=WishCategory, default=WishCategory.GOODS)
    status = models.CharField(_("status"), max_length=10, choices=WishStatus, default=WishStatus.OPEN,
                              editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    claimer_name = models.CharField(max_length=50, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    fulfilment_note = models.CharField(_("how it was fulfilled"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[WishStatus.OPEN, WishStatus.CANCELLED]) | Q(claimed_by__isnull=False),
                name="wish_claimed_has_claimer",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class HoursCertificate(models.Model):
    """志愿服务时长证明 — a numbered PDF certificate of a volunteer's confirmed hours (all time or one year),
    with a verification code anyone can check online. ``serial`` fingerprints the records counted, so the check
    also says whether the hours have changed since (a record confirmed later)."""

    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    verification_code = models.CharField(max_length=16, unique=True, editable=False)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the volunteer's building path
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)  # None: all confirmed hours
    minutes = models.PositiveIntegerField(_("minutes"))
    records = models.PositiveIntegerField()
    serial = models.CharField(max_length=16)
    public_content = models.JSONField(default=dict)  # masked, shown by the public check
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number
