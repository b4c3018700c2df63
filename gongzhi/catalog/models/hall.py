from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import ApplicationChannel, ApplicationStatus, CertificateKind, Channel, TaskDecision


class ServiceCategory(models.Model):
    """服务类别 — one of the ~33 categories of the one-stop service hall."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """服务事项 — one item of the catalogue: materials, time limit, channel, fee, admission."""

    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)  # common names: 低保, 开证明
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"), default=0)  # 0 = on the spot
    channel = models.CharField(_("channel"), max_length=8, choices=Channel, default=Channel.BOTH)
    fee_fen = models.PositiveIntegerField(_("fee (fen)"), default=0)
    department = models.CharField(_("responsible department"), max_length=60, blank=True)
    on_admission_catalog = models.BooleanField(_("on the community work admission catalogue"), default=True)
    certificate_kind = models.CharField(max_length=20, choices=CertificateKind, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["category__sort", "sort", "code"]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """服务申请 — a resident's application for a catalogue item ("一号申请、一窗受理、一网通办")."""

    number = models.CharField(_("number"), max_length=24, unique=True, editable=False)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="applications")
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="applications")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=ApplicationChannel)
    status = models.CharField(_("status"), max_length=20, choices=ApplicationStatus,
                              default=ApplicationStatus.SUBMITTED, editable=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    trips = models.PositiveSmallIntegerField(_("trips to the hall"), default=0)
    missing_materials = models.JSONField(default=list, blank=True)
    form_data = models.JSONField(default=dict, blank=True)  # pre-filled form; never clear ID numbers/phones
    note = models.TextField(_("note"), blank=True)
    result_note = models.TextField(_("result"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["community", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["completed", "rejected", "withdrawn"], closed_at__isnull=False)
                | (~Q(status__in=["completed", "rejected", "withdrawn"]) & Q(closed_at__isnull=True)),
                name="application_closed_iff_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}"

    @property
    def is_closed(self) -> bool:
        return self.status in ("completed", "rejected", "withdrawn")

    @property
    def at_most_one_trip(self) -> bool:
        """最多跑一次 — met while the resident came to the hall at most once."""
        return self.trips <= 1


class ApplicationEvent(models.Model):
    """办理记录 — one step of an application; the timeline and the audit of its handling."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action} → {self.to_status}"


class Certificate(models.Model):
    """证明 — a numbered certificate (居住证明 …) with a verification code anyone can check online.

    The printed content is snapshotted (``content``, masked where shown publicly) and its SHA-256 kept in
    ``content_digest`` so the public page shows exactly what was issued.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind)
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    verification_code = models.CharField(max_length=16, unique=True, editable=False)
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="certificates")
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    purpose = models.CharField(_("purpose"), max_length=100)
    public_content = models.JSONField(default=dict)  # masked fields shown on the verification page
    content_digest = models.CharField(max_length=64)
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="certificates")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoke_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                                   name="revoked_certificate_has_reason"),
        ]

    def __str__(self) -> str:
        return self.number


class LowIncomeLine(models.Model):
    """低保标准 — the local minimum-living-allowance line, monthly per person, from a date."""

    place = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    monthly_fen = models.PositiveIntegerField(_("monthly line per person (fen)"))
    effective_from = models.DateField(_("effective from"))

    class Meta:
        ordering = ["-effective_from"]
        constraints = [models.UniqueConstraint(fields=["place", "effective_from"], name="low_income_line_unique")]

    def __str__(self) -> str:
        return f"{self.place_id} {self.monthly_fen / 100:.2f}/月 ({self.effective_from})"


class LowIncomeCheck(models.Model):
    """低保预审 — a pre-check of a household against the local line; the decision stays with a person."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    members = models.PositiveSmallIntegerField()
    monthly_income_fen = models.PositiveIntegerField()  # household total, averaged over the last 12 months
    assets_fen = models.PositiveBigIntegerField(default=0)
    per_capita_fen = models.PositiveIntegerField()
    line_fen = models.PositiveIntegerField()
    asset_limit_fen = models.PositiveBigIntegerField()
    below_line = models.BooleanField()
    within_asset_limit = models.BooleanField()
    detail = models.JSONField(default=dict)  # per member: name (masked), age, income
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"低保预审 {self.household_id} {self.created_at:%Y-%m-%d}"


class AssignedTask(models.Model):
    """下派事项 — a task a street or department sends to a community, checked against the admission catalogue.

    Tasks not on the 社区工作准入目录 are rejected, or bought as a service (购买服务) with a budget.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    item = models.ForeignKey(ServiceItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sender = models.CharField(_("sent by"), max_length=100)
    decision = models.CharField(max_length=10, choices=TaskDecision)
    budget_fen = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(decision="purchased") | Q(budget_fen__gt=0),
                                   name="purchased_task_has_budget"),
        ]

    def __str__(self) -> str:
        return self.title
