"""便民服务 from merchants and resident units, and social organisations (五社联动)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import IncubationStage, OrderStatus, ProjectFunding, ServiceKind


class MerchantStaff(models.Model):
    """商户/单位联系人 — a login that acts for a resident unit or merchant (orders, bookings, jobs)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merchant_links")
    unit = models.ForeignKey("registry.ResidentUnit", on_delete=models.CASCADE, related_name="staff_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="merchant_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.unit_id}"


class MerchantService(models.Model):
    """便民服务手册条目 — a service a merchant offers residents, by category."""

    unit = models.ForeignKey("registry.ResidentUnit", on_delete=models.PROTECT, related_name="offered_services")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the community's
    kind = models.CharField(_("category"), max_length=16, choices=ServiceKind)
    name = models.CharField(_("name"), max_length=100)
    price_text = models.CharField(_("price"), max_length=60, blank=True)  # "60元/2小时"
    hours = models.CharField(_("opening hours"), max_length=60, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceOrder(models.Model):
    """点单 — a resident orders a merchant service; the merchant accepts and completes; the resident rates."""

    service = models.ForeignKey(MerchantService, on_delete=models.PROTECT, related_name="orders")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the resident's
    wanted_at = models.DateTimeField(_("wanted at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=OrderStatus, default=OrderStatus.ORDERED)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_comment = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="service_order_rating_1_to_5"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(status="done"),
                                   name="service_order_rated_only_when_done"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id}/{self.resident_id} {self.status}"


class SharedResource(models.Model):
    """共享资源 — what a resident unit shares: off-hours parking spaces, a meeting room, a sports ground."""

    unit = models.ForeignKey("registry.ResidentUnit", on_delete=models.PROTECT, related_name="shared_resources")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)  # parking spaces, or 1 for a room
    available_from = models.TimeField(_("available from"))
    available_until = models.TimeField(_("available until"))  # may be earlier than from: overnight parking
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class Booking(models.Model):
    """预约 — a resident books a shared resource for a time span; capacity is never exceeded."""

    resource = models.ForeignKey(SharedResource, on_delete=models.PROTECT, related_name="bookings")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M}"


class JobPosting(models.Model):
    """招聘信息 — a job offered by a resident unit or merchant to residents out of work."""

    unit = models.ForeignKey("registry.ResidentUnit", on_delete=models.PROTECT, related_name="jobs")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    pay_text = models.CharField(_("pay"), max_length=60, blank=True)
    open = models.BooleanField(default=True)
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        return self.title


class Incubation(models.Model):
    """孵化 (微益坊) — a social organisation's way through the incubator: applied → incubating → graduated."""

    organization = models.OneToOneField("registry.ResidentUnit", on_delete=models.PROTECT, related_name="incubation")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    stage = models.CharField(_("stage"), max_length=12, choices=IncubationStage, default=IncubationStage.APPLIED)
    field = models.CharField(_("field of work"), max_length=100)
    applied_on = models.DateField()
    stage_since = models.DateField()
    mentor = models.CharField(_("mentor"), max_length=50, blank=True)

    def __str__(self) -> str:
        return f"{self.organization_id} {self.stage}"


class OrgProject(models.Model):
    """社会组织项目 — bought by government (政府购买), funded by the community fund, or 公益创投."""

    organization = models.ForeignKey("registry.ResidentUnit", on_delete=models.PROTECT, related_name="projects")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    funding = models.CharField(_("funding"), max_length=16, choices=ProjectFunding)
    budget_fen = models.PositiveBigIntegerField(_("budget (fen)"))
    starts_on = models.DateField()
    ends_on = models.DateField()
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    beneficiaries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="org_project_progress_percent"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="org_project_dates"),
        ]

    def __str__(self) -> str:
        return self.title
