from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import InvitationKind, MeetingKind, MeetingStatus


class ProcedureTemplate(models.Model):
    """议事程序模板 — a community's own list of procedure steps, beside the ones shipped in code."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=100)
    steps = models.JSONField(_("steps"))  # list of step titles, in order

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="procedure_template_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """议事会议 — a talk day (居民恳谈日), council, hearing, review or consultation meeting."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the community's path
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind)
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    procedure = models.CharField(_("procedure"), max_length=40, blank=True)  # template key it was made from
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus, default=MeetingStatus.PLANNED, editable=False
    )
    minutes = models.TextField(_("minutes"), blank=True)  # 会议纪要
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.CLOSED) | ~Q(minutes=""), name="closed_meeting_has_minutes"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """议程 — one item of a meeting's agenda, drawn from a proposal or (generic link) an appeal."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=120)
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    source_type = models.CharField(max_length=40, blank=True)  # e.g. "appeals.appeal"
    source_id = models.CharField(max_length=40, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)  # 议定事项

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_unique_order"),
            models.UniqueConstraint(fields=["meeting", "proposal"], name="agenda_proposal_once"),
            models.CheckConstraint(
                condition=Q(source_type="") | Q(proposal__isnull=True), name="agenda_one_source"
            ),
            models.CheckConstraint(
                condition=Q(source_type="", source_id="") | (~Q(source_type="") & ~Q(source_id="")),
                name="agenda_source_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """列席邀请 — a department, a representative (两代表一委员), a resident unit or a resident invited."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("kind"), max_length=24, choices=InvitationKind)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident_unit = models.ForeignKey(
        "registry.ResidentUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)  # shown name: department, unit or person
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["meeting", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=InvitationKind.DEPARTMENT) | Q(department__isnull=False),
                name="invitation_department_set",
            ),
            models.CheckConstraint(
                condition=~Q(kind=InvitationKind.RESIDENT_UNIT) | Q(resident_unit__isnull=False),
                name="invitation_unit_set",
            ),
            models.UniqueConstraint(fields=["meeting", "department"], name="invitation_department_once"),
            models.UniqueConstraint(fields=["meeting", "resident_unit"], name="invitation_unit_once"),
            models.UniqueConstraint(fields=["meeting", "resident"], name="invitation_resident_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """签到 — someone present at a meeting: a resident, or an invited party's representative."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.PROTECT, related_name="attendance"
    )
    name = models.CharField(_("name"), max_length=50)
    signed_in_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "signed_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "resident"], name="attendance_resident_once"),
            models.UniqueConstraint(fields=["meeting", "invitation"], name="attendance_invitation_once"),
            models.CheckConstraint(
                condition=Q(resident__isnull=False) | Q(invitation__isnull=False), name="attendance_who"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcedureStep(models.Model):
    """议事程序步骤 — one step of the meeting's procedure, done in order and timestamped."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    title = models.CharField(_("title"), max_length=100)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="step_unique_order"),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="step_done_has_actor",
            ),
        ]

    def __str__(self) -> str:
        return self.title
