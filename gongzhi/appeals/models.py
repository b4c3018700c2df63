"""Appeals data: responsibility lists, cases, their events, triage decisions, notifications, calendar."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.party.enums import Function

from . import lookups
from .enums import (
    FINAL_STATUSES,
    HANDLER_STATUSES,
    OPEN_STATUSES,
    TIER_COLORS,
    TRIAGE_STATUSES,
    Action,
    AppealStatus,
    Channel,
    HandlerKind,
    ListStatus,
    OutboxStatus,
    Rating,
    Tier,
    TriageSource,
)

S = AppealStatus


def handler_label_of(handler_kind: str, committee: str, department: str) -> str:
    """The handler as a list shows it: the department (name·office), the committee, or "resident with help";
    ``department`` is the department's label, empty when there is none."""
    if handler_kind == HandlerKind.DEPARTMENT:
        return department or str(HandlerKind.DEPARTMENT.label)
    if handler_kind == HandlerKind.COMMITTEE:
        return str(Function(committee).label) if committee else str(HandlerKind.COMMITTEE.label)
    if handler_kind == HandlerKind.RESIDENT:
        return str(HandlerKind.RESIDENT.label)
    return ""


class HandlerMixin(models.Model):
    """Who handles a matter: a department, a committee of the residents' committee, or the resident."""

    handler_kind = models.CharField(_("handler"), max_length=12, choices=HandlerKind, blank=True)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee = models.CharField(_("committee"), max_length=20, choices=Function, blank=True)

    class Meta:
        abstract = True

    @property
    def handler_label(self) -> str:
        department = str(self.department) if self.handler_kind == HandlerKind.DEPARTMENT and self.department_id else ""
        return handler_label_of(self.handler_kind, self.committee, department)

    @property
    def handler_key(self) -> str:
        """``department:<id>`` · ``committee:<function>`` · ``resident`` · ``""``."""
        if self.handler_kind == HandlerKind.DEPARTMENT:
            return f"department:{self.department_id}" if self.department_id else "department"
        if self.handler_kind == HandlerKind.COMMITTEE:
            return f"committee:{self.committee}"
        return self.handler_kind


def _handler_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=~Q(handler_kind=HandlerKind.COMMITTEE) | ~Q(committee=""),
            name=f"{prefix}_committee_handler_names_committee",
        ),
        models.CheckConstraint(
            condition=Q(handler_kind=HandlerKind.DEPARTMENT) | Q(department__isnull=True),
            name=f"{prefix}_department_only_for_department_handler",
        ),
    ]


class ResponsibilityList(models.Model):
    """三事分流责任清单 — one community's list of matters, versioned: a draft is edited, then published."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="responsibility_lists")
    version = models.PositiveIntegerField()
    status = models.CharField(_("status"), max_length=12, choices=ListStatus, default=ListStatus.DRAFT)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["community", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["community", "version"], name="resp_list_unique_version"),
            models.UniqueConstraint(
                fields=["community"], condition=Q(status=ListStatus.PUBLISHED), name="resp_list_one_published"
            ),
            models.UniqueConstraint(
                fields=["community"], condition=Q(status=ListStatus.DRAFT), name="resp_list_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status=ListStatus.DRAFT) | Q(published_at__isnull=False),
                name="resp_list_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} v{self.version}"


class ResponsibilityItem(HandlerMixin):
    """责任清单事项 — one matter: its tier, category, handler, keywords and time limits.

    ``code`` is stable across versions and is the Open311 service code.
    """

    responsibility_list = models.ForeignKey(ResponsibilityList, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=60)
    matter = models.CharField(_("matter"), max_length=100)  # 事项
    description = models.TextField(_("description"), blank=True)
    tier = models.CharField(_("tier"), max_length=12, choices=Tier)
    category = models.CharField(_("category"), max_length=40)  # 类别
    department_name = models.CharField(_("department name"), max_length=100, blank=True)  # as in the catalogue
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    accept_hours = models.PositiveSmallIntegerField(_("hours to accept"), default=4)  # 接单时限（工作小时）
    respond_hours = models.PositiveSmallIntegerField(_("hours to respond"), default=8)  # 响应时限（工作小时）
    reply_days = models.PositiveSmallIntegerField(_("working days to reply"), default=5)  # 答复时限（工作日）
    help_text = models.TextField(_("help offered"), blank=True)  # 私事: 便民服务、志愿者、互助
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["responsibility_list", "sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["responsibility_list", "code"], name="resp_item_unique_code"),
            models.CheckConstraint(condition=Q(reply_days__gte=1), name="resp_item_reply_days_positive"),
            *_handler_constraints("resp_item"),
        ]

    def __str__(self) -> str:
        return self.matter

    @property
    def color(self) -> str:
        return TIER_COLORS.get(self.tier, "")


def _inbox_indexes(name: str, statuses, *, departments: bool = True) -> list[models.Index]:
    only = Q(status__in=list(statuses))
    return [
        *([models.Index(fields=["department", "due_at", "id"], condition=only, name=f"appeal_{name}_dept")]
          if departments else []),
        models.Index(fields=["community", "due_at", "id"], condition=only, name=f"appeal_{name}_comm"),
        models.Index(fields=["due_at", "id", "path"], condition=only, name=f"appeal_{name}_due"),
    ]


class AppealQuerySet(models.QuerySet):
    def open(self):
        # as literals, so that SQLite can use the partial indexes on the open cases (see lookups.py)
        return self.filter(status__in_literals=OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(due_at__lt=now or timezone.now())

    def public(self):
        return self.filter(status=S.CLOSED, merged_into__isnull=True)


class Appeal(HandlerMixin):
    """诉求 — a resident's request or complaint, handled as a case from intake to closing (挂单销号)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # Open311 token
    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="appeals")
    place = models.ForeignKey("registry.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)  # the place's (or community's) path
    resident = models.ForeignKey(
        "registry.Resident", null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals_submitted",
    )  # the resident's own login
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # staff who entered it (phone, talk day, grid walk…)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    contact_name_cipher = models.TextField(blank=True, editable=False)
    contact_name_masked = models.CharField(_("contact"), max_length=20, blank=True, editable=False)
    contact_phone_cipher = models.TextField(blank=True, editable=False)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_phone_masked = models.CharField(_("contact phone"), max_length=20, blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel, default=Channel.PORTAL)
    external_id = models.CharField(_("external number"), max_length=64, blank=True)  # 12345 工单编号
    text = models.TextField(_("text"))
    public_text = models.TextField(blank=True, editable=False)  # redacted, for the public board
    public_reply = models.TextField(blank=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)

    # 三事分流
    tier = models.CharField(_("tier"), max_length=12, choices=Tier, blank=True)
    category = models.CharField(_("category"), max_length=40, blank=True)
    list_item = models.ForeignKey(
        ResponsibilityItem, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    list_version = models.ForeignKey(
        ResponsibilityList, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    suggestion = models.JSONField(default=dict, blank=True, editable=False)  # the classifier's best guess

    # 流程 — written only by workflow.py
    status = models.CharField(_("status"), max_length=12, choices=AppealStatus, default=S.SUBMITTED, editable=False)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)  # deadline of the current step
    reply_due_at = models.DateTimeField(null=True, blank=True)  # deadline of the reply (办结时限)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    returns_count = models.PositiveSmallIntegerField(default=0)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The three flags the rates are computed from (三率: 及时响应、解决、满意)
    responded_in_time = models.BooleanField(null=True, blank=True)
    resolved = models.BooleanField(null=True, blank=True)
    satisfied = models.BooleanField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "due_at"], name="appeal_dept_status_due"),
            models.Index(fields=["community", "status", "created_at"], name="appeal_comm_status_created"),
            models.Index(fields=["path", "status"], name="appeal_path_status"),
            models.Index(fields=["submitted_by", "created_at"], name="appeal_submitter_created"),
            models.Index(fields=["status", "due_at"], name="appeal_status_due"),
            # The inboxes (selectors.triage_inbox / handler_inbox): one partial index per scope shape, on the
            # open cases only (a tenth of the table), in the inbox's order (due_at, id): the first page and
            # every keyset page are one index range, whatever the table's size.
            *_inbox_indexes("handler", HANDLER_STATUSES),
            *_inbox_indexes("triage", TRIAGE_STATUSES, departments=False),  # departments never triage
            # The dashboard's clock-dependent counts (insights.rates): open cases past their deadline under a
            # unit ("overdue now"), and open unreplied cases of a month past their reply deadline. Both
            # partial on the open cases, covering what the counts read, so neither touches the table.
            models.Index(fields=["path", "due_at", "status"], condition=Q(status__in=list(OPEN_STATUSES)),
                         name="appeal_open_path_due"),
            models.Index(fields=["created_at", "path", "reply_due_at", "replied_at", "status"],
                         condition=Q(status__in=list(OPEN_STATUSES)), name="appeal_open_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=S.CLOSED) | Q(closed_at__isnull=False), name="closed_appeal_has_closed_at"
            ),
            models.CheckConstraint(condition=~Q(status=S.CLOSED) | ~Q(reply=""), name="closed_appeal_has_reply"),
            models.CheckConstraint(
                condition=~Q(status__in=[S.REPLIED, S.RATED]) | Q(replied_at__isnull=False),
                name="replied_appeal_has_replied_at",
            ),
            models.CheckConstraint(condition=~Q(status=S.RATED) | ~Q(rating=""), name="rated_appeal_has_rating"),
            models.CheckConstraint(
                condition=~Q(status=S.MERGED) | Q(merged_into__isnull=False), name="merged_appeal_has_target"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[S.SUBMITTED, S.WITHDRAWN, S.MERGED]) | ~Q(tier=""),
                name="triaged_appeal_has_tier",
            ),
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=~Q(external_id=""),
                name="appeal_unique_external_id",
            ),
            *_handler_constraints("appeal"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:20]}"

    @property
    def color(self) -> str:
        return TIER_COLORS.get(self.tier, "")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()

    @property
    def days_to_close(self) -> int | None:
        if self.closed_at is None:
            return None
        return max((self.closed_at - self.created_at).days, 0)


lookups.register(Appeal._meta.get_field("status"))
lookups.register(Appeal._meta.get_field("path"))


class Attachment(models.Model):
    """附件 — a photo or file attached to an appeal, at intake or with an event (reply, follow-up)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        "AppealEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="appeals/%Y/%m/")
    name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.name}"


class AppealEvent(models.Model):
    """办理记录 — one move of a case: the timeline, the audit trail and the data for the rates."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["appeal", "created_at"], name="appeal_event_timeline")]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} {self.from_status}→{self.to_status}"

    @property
    def action_label(self) -> str:
        return str(Action(self.action).label) if self.action in Action.values else self.action

    @property
    def to_status_label(self) -> str:
        return str(AppealStatus(self.to_status).label) if self.to_status in AppealStatus.values else ""


class TriageDecision(models.Model):
    """分流决定 — what was suggested and what staff chose; overrides are the classifier's training data."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="triage_decisions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=12, choices=TriageSource)
    text = models.TextField()
    suggested = models.JSONField(default=dict, blank=True)  # {"tier","category","handler","item","confidence"}
    chosen = models.JSONField(default=dict)  # {"tier","category","handler","item"}
    overridden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.source}"


class Idempotency(models.Model):
    """幂等键 — a client's retry key, remembered with the request it answered."""

    key = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    request_digest = models.CharField(max_length=64)
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="idempotency_unique_key")]

    def __str__(self) -> str:
        return self.key


class Notification(models.Model):
    """站内通知 — an in-app notice to one user about one case."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    appeal = models.ForeignKey(Appeal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    verb = models.CharField(max_length=12)
    text = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.text


class OutboxMessage(models.Model):
    """发件箱 — a message to deliver outside the app (console, SMS, WeChat), written with its event."""

    channel = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    appeal = models.ForeignKey(Appeal, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    template = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)  # never personal data in clear: the adapter resolves the address
    status = models.CharField(max_length=10, choices=OutboxStatus, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"], name="outbox_status")]

    def __str__(self) -> str:
        return f"{self.channel} {self.template} {self.status}"


class CalendarDay(models.Model):
    """工作日历调整 — overrides the national calendar for one date (extra holiday or make-up working day)."""

    date = models.DateField(unique=True)
    is_workday = models.BooleanField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class AppealSettings(models.Model):
    """诉求设置 — a community's own rules for appeals, set by its secretary (one row per community; no row
    means the defaults: anonymous appeals not accepted)."""

    community = models.OneToOneField(
        "registry.Place", on_delete=models.CASCADE, related_name="appeal_settings", primary_key=True
    )
    allow_anonymous = models.BooleanField(_("accept anonymous appeals"), default=False)  # 允许匿名诉求
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appeal settings")
        verbose_name_plural = _("appeal settings")

    def __str__(self) -> str:
        return f"{self.community_id}: anonymous {'on' if self.allow_anonymous else 'off'}"
