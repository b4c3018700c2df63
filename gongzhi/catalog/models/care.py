"""一老一少 — care for the elderly and the young: archives, check-ups, meals, emergency phones, after-school care."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import AttendanceStatus, CheckupStatus, Mobility


class ElderlyProfile(models.Model):
    """老人健康档案 — the care record of one older resident. Emergency contact phone encrypted like the registry's."""

    resident = models.OneToOneField("registry.Resident", on_delete=models.PROTECT, related_name="elderly_profile")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    chronic_conditions = models.CharField(_("chronic conditions"), max_length=200, blank=True)
    mobility = models.CharField(_("mobility"), max_length=12, choices=Mobility, default=Mobility.INDEPENDENT)
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_contact_phone_cipher = models.TextField(blank=True, editable=False)
    emergency_contact_phone_masked = models.CharField(_("emergency contact phone"), max_length=20, blank=True,
                                                      editable=False)
    meal_delivery = models.BooleanField(_("meals delivered"), default=False)  # 助餐送餐
    meal_note = models.CharField(_("meal note"), max_length=100, blank=True)  # 低盐, 软食 …
    emergency_phone_issued_on = models.DateField(_("emergency phone issued on"), null=True, blank=True)  # 一键呼叫
    last_checkup_on = models.DateField(_("last free check-up"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"档案 {self.resident_id}"


class CheckupCampaign(models.Model):
    """年度免费体检 — the yearly free check-up for residents 60+ of a community, with its worklist."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=60)
    title = models.CharField(_("title"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="checkup_campaign_unique_year")]

    def __str__(self) -> str:
        return self.title


class CheckupRecord(models.Model):
    """体检名单 — one resident on a campaign's worklist."""

    campaign = models.ForeignKey(CheckupCampaign, on_delete=models.CASCADE, related_name="records")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=CheckupStatus, default=CheckupStatus.PENDING)
    scheduled_on = models.DateField(_("scheduled on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    needs_escort = models.BooleanField(_("needs escort"), default=False)  # 轮椅上门接送
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["path", "resident_id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "resident"], name="checkup_record_unique"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_on__isnull=False),
                                   name="checkup_done_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.resident_id} {self.status}"


class MealDelivery(models.Model):
    """送餐记录 — a meal delivered (or not) to one resident on one day; the daily run sheet is checked off here."""

    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    on = models.DateField(_("date"))
    delivered = models.BooleanField(_("delivered"), default=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["resident", "on"], name="meal_delivery_once_a_day")]

    def __str__(self) -> str:
        return f"{self.resident_id} {self.on}"


class AfterSchoolProgram(models.Model):
    """四点钟学校 / 少儿托管 — an after-school or holiday care programme of a community."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    min_age = models.PositiveSmallIntegerField(default=6)
    max_age = models.PositiveSmallIntegerField(default=12)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(min_age__lte=models.F("max_age")),
                                              name="after_school_age_range")]

    def __str__(self) -> str:
        return self.name


class AfterSchoolEnrolment(models.Model):
    """托管报名 — a child enrolled in a programme by a guardian."""

    program = models.ForeignKey(AfterSchoolProgram, on_delete=models.PROTECT, related_name="enrolments")
    child = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    guardian = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program", "child"], condition=Q(active=True),
                                               name="after_school_enrolled_once")]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.child_id}"


class AfterSchoolAttendance(models.Model):
    """托管签到 — a child's attendance on one day, and who picked them up."""

    enrolment = models.ForeignKey(AfterSchoolEnrolment, on_delete=models.CASCADE, related_name="attendance")
    on = models.DateField(_("date"))
    status = models.CharField(max_length=8, choices=AttendanceStatus)
    picked_up_by = models.CharField(_("picked up by"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "on"], name="after_school_attendance_once")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.on} {self.status}"
