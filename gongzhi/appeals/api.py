"""JSON API of the appeals app.

/api/v1/appeals…, /api/v1/public/appeals, /api/v1/public/responsibility-lists/{community_id}.
"""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from gongzhi.accounts.selectors import scopes_of
from gongzhi.core.api import MappedPage, Page
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.permissions import require
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from . import notifications, selectors, services, workflow
from .enums import Action
from .models import Appeal, ResponsibilityItem
from .schemas import (
    ActionIn,
    AppealDetailOut,
    AppealIn,
    AppealOut,
    BoardRowOut,
    InboxOut,
    ListOut,
    NotificationOut,
    PublicAppealOut,
)

router = Router(tags=["appeals"])


def appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "status": a.status,
        "tier": a.tier,
        "color": a.color,
        "category": a.category,
        "handler": a.handler_label,
        "handler_kind": a.handler_kind,
        "department_id": a.department_id,
        "committee": a.committee,
        "due_at": a.due_at,
        "reply_due_at": a.reply_due_at,
        "overdue": a.is_overdue,
        "escalated": a.escalated_at is not None,
        "channel": a.channel,
        "text": a.text,
        "community_id": a.community_id,
        "community": a.community.name,
        "place_id": a.place_id,
        "contact": "" if a.anonymous else " ".join(p for p in (a.contact_name_masked, a.contact_phone_masked) if p),
        "anonymous": a.anonymous,
        "external_id": a.external_id,
        "list_item_id": a.list_item_id,
        "list_version": a.list_item.responsibility_list.version if a.list_item_id else None,
        "suggestion": a.suggestion or {},
        "reply": a.reply,
        "replied_at": a.replied_at,
        "rating": a.rating,
        "rating_comment": a.rating_comment,
        "responded_in_time": a.responded_in_time,
        "resolved": a.resolved,
        "satisfied": a.satisfied,
        "merged_into_id": a.merged_into_id,
        "created_at": a.created_at,
        "closed_at": a.closed_at,
    }


def attachment_url(attachment) -> str:
    """Files are served only through the access-checked view, never from a public media URL."""
    return reverse("appeals_portal:attachment", args=[attachment.pk])


def allowed_actions(user, appeal: Appeal) -> list[str]:
    return [a for a in workflow.available_actions(appeal) if user.has_perm(f"appeals.{a}_appeal", appeal)]


def appeal_detail(user, appeal: Appeal) -> dict:
    events = selectors.appeal_timeline(appeal)
    return {
        **appeal_out(appeal),
        "actions": allowed_actions(user, appeal),
        "timeline": [
            {
                "id": e.pk,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor": e.actor_name,
                "note": e.note,
                "data": e.data,
                "attachments": [attachment_url(x) for x in e.attachments.all()],
                "created_at": e.created_at,
            }
            for e in events
        ],
        "photos": [attachment_url(x) for x in appeal.attachments.filter(event__isnull=True)],
    }


# What intake, its rules and its answer read of the resident, her building and her community: four joined rows
# of 20+ columns each cost more Python to compile and load than the rest of the request's reads together.
RESIDENT_INTAKE_FIELDS = (
    "name",
    "path",
    "community",
    "household__building",
    *(
        f"{p}__{f}"
        for p in ("household__building", "community")
        for f in ("kind", "name", "path", "parent", "community")
    ),
)


def community_for(user, *, place_id: int | None, community_id: int | None) -> tuple[Place, Place | None]:
    """The community (and place) an appeal is filed in: the place's, the given one, or the user's own."""
    place = None
    if place_id is not None:
        place = Place.objects.select_related("community").filter(pk=place_id).first()
        if place is None or place.community_id is None:
            raise InvalidInput(_("Choose a place inside a community."), field="place_id")
        return place.community, place
    if community_id is not None:
        community = Place.objects.filter(pk=community_id, kind=PlaceKind.COMMUNITY).first()
        if community is None:
            raise InvalidInput(_("Choose the community."), field="community_id")
        return community, None
    if user.resident_id:
        resident = (
            Resident.objects.select_related("household__building", "community")
            .only(*RESIDENT_INTAKE_FIELDS)
            .get(pk=user.resident_id)
        )
        user.resident = resident  # one read of the resident for the rules and the service
        return resident.community, resident.household.building
    communities = {s.community_id for s in scopes_of(user) if s.community_id}
    if len(communities) == 1:
        return Place.objects.get(pk=communities.pop()), None
    raise InvalidInput(_("Choose the place or community of the matter."), field="place_id")


@router.post("/appeals", response={201: AppealOut}, summary="Submit an appeal (idempotent with Idempotency-Key)")
def submit(
    request: HttpRequest,
    response: HttpResponse,
    payload: AppealIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=100),
):
    user = request.user
    body = payload.dict()
    community, place = community_for(user, place_id=payload.place_id, community_id=payload.community_id)
    require(user, "appeals.submit_appeal", place or community)
    resident = None
    if payload.resident_id is not None:
        resident = Resident.objects.filter(pk=payload.resident_id, community_id=community.pk).first()
        if resident is None or not user.has_perm("registry.view_resident", resident):
            raise InvalidInput(_("Choose a resident of this community."), field="resident_id")
    elif user.resident_id and not payload.anonymous:
        resident = user.resident
    appeal = services.submit_appeal(
        actor=user,
        community=community,
        place=place,
        text=payload.text,
        channel=payload.channel,
        resident=None if payload.anonymous else resident,
        contact_name="" if payload.anonymous else payload.contact_name,
        contact_phone=payload.contact,
        anonymous=payload.anonymous,
        idempotency_key=idempotency_key,
        idempotency_payload=body,
    )
    if getattr(appeal, "replayed", False):
        response["Idempotent-Replayed"] = "true"
        appeal = selectors.with_related(Appeal.objects.filter(pk=appeal.pk)).get()
    return Status(201, appeal_out(appeal))


class AppealFilter(Schema):
    status: str = Field("", max_length=200, description="comma-separated statuses")
    tier: str = Field("", max_length=12)
    channel: str = Field("", max_length=16)
    q: str = Field("", max_length=50)
    community: int | None = None
    department: int | None = None
    overdue: bool | None = None
    mine: bool = False


@router.get("/appeals", response=list[AppealOut], summary="Appeals visible to the caller")
@paginate(Page)
def list_appeals(request, filters: Query[AppealFilter]):
    qs = selectors.search_appeals(request.user, **filters.dict())
    return MappedPage(qs, appeal_out)


class InboxQuery(Schema):
    limit: int = Field(20, ge=1, le=200)
    cursor: str = Field("", max_length=60, description="the `next` of the previous page")
    offset: int = Field(0, ge=0, le=1000, description="shallow pages only; use `cursor` to go deeper")


@router.get("/appeals/inbox/{kind}", response=InboxOut, summary="Triage inbox or handler inbox (keyset pages)")
def inbox(request, kind: str, params: Query[InboxQuery]):
    """Earliest deadline first. Each page is one range of a partial index on the open cases; follow ``next``
    (a keyset cursor) for the following page instead of growing an offset."""
    if kind == "triage":
        qs = selectors.triage_inbox_rows(request.user)
    elif kind == "handler":
        qs = selectors.handler_inbox_rows(request.user)
    else:
        raise NotFound()
    return selectors.inbox_page(qs, cursor=params.cursor, offset=params.offset, limit=params.limit)


@router.get("/appeals/overdue", response=list[BoardRowOut], summary="Overdue board per handler, community or street")
def overdue(request, group: str = "handler"):
    if group not in ("handler", "community", "street"):
        raise InvalidInput(_("Group by handler, community or street."), field="group")
    return selectors.overdue_board(request.user, group=group)


@router.get("/appeals/notifications", response=list[NotificationOut])
@paginate(Page)
def list_notifications(request, unread: bool = False):
    from .models import Notification

    qs = Notification.objects.filter(user=request.user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return MappedPage(
        qs.order_by("-created_at", "-id"),
        lambda n: {
            "id": n.pk,
            "appeal_id": n.appeal_id,
            "verb": n.verb,
            "text": n.text,
            "read": n.read_at is not None,
            "created_at": n.created_at,
        },
    )


@router.post("/appeals/notifications/read")
def read_notifications(request):
    return {"read": notifications.mark_read(user=request.user)}


@router.get("/appeals/{int:appeal_id}", response=AppealDetailOut)
def get_appeal(request, appeal_id: int):
    return appeal_detail(request.user, selectors.access_appeal(request.user, appeal_id))


@router.post("/appeals/{int:appeal_id}/actions/{action}", response=AppealDetailOut)
def act(request, appeal_id: int, action: str, payload: ActionIn):
    appeal = selectors.access_appeal(request.user, appeal_id)
    if action not in Action.values or action in (Action.SUBMIT, Action.REMIND):
        raise InvalidInput(_("Unknown action."), field="action")
    require(request.user, f"appeals.{action}_appeal", appeal)
    params = {"rating": payload.rating, "comment": payload.comment, "resolved": payload.resolved}
    if action == Action.TRIAGE:
        item = None
        if payload.item_id is not None:
            item = ResponsibilityItem.objects.filter(
                pk=payload.item_id, responsibility_list__community_id=appeal.community_id
            ).first()
            if item is None:
                raise InvalidInput(_("Choose an item of this community's responsibility list."), field="item_id")
        params.update(tier=payload.tier or "", category=payload.category, handler=payload.handler, item=item)
    if action == Action.MERGE:
        params["into"] = payload.into
        if payload.into is not None:
            selectors.access_appeal(request.user, payload.into)
    workflow.transition(appeal, action, actor=request.user, note=payload.note, **params)
    # The actor may no longer see the case (a department that returned it): answer with its new state once.
    return appeal_detail(request.user, selectors.with_related(Appeal.objects.filter(pk=appeal.pk)).get())


# ---- public (no login) -----------------------------------------------------------------------------------


def public_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "community": a.community.name,
        "category": a.category,
        "tier": a.tier,
        "color": a.color,
        "handler": a.handler_label,
        "text": a.public_text,
        "reply": a.public_reply,
        "rating": a.rating,
        "days_to_close": a.days_to_close,
        "created_at": timezone.localtime(a.created_at).date(),
        "closed_at": a.closed_at,
    }


@router.get("/public/appeals", response=list[PublicAppealOut], auth=None, summary="Closed cases, redacted")
@paginate(Page)
def public_appeals(request, community: int | None = None, tier: str = "", category: str = ""):
    return MappedPage(selectors.public_appeals(community=community, tier=tier, category=category), public_out)


def list_out(rlist) -> dict:
    return {
        "id": rlist.pk,
        "community_id": rlist.community_id,
        "version": rlist.version,
        "status": rlist.status,
        "published_at": rlist.published_at,
        "items": [
            {
                "id": i.pk,
                "code": i.code,
                "matter": i.matter,
                "description": i.description,
                "tier": i.tier,
                "color": i.color,
                "category": i.category,
                "handler": i.handler_label,
                "handler_kind": i.handler_kind,
                "keywords": list(i.keywords or []),
                "accept_hours": i.accept_hours,
                "respond_hours": i.respond_hours,
                "reply_days": i.reply_days,
                "help_text": i.help_text,
            }
            for i in rlist.items.all()
        ],
    }


@router.get(
    "/public/responsibility-lists/{community_id}",
    response=ListOut,
    auth=None,
    summary="A community's published responsibility list (三事分流责任清单)",
)
def public_list(request, community_id: int):
    rlist = selectors.published_list(community_id)
    if rlist is None:
        raise NotFound()
    return list_out(rlist)


# ---- responsibility lists and the calendar (staff) -------------------------------------------------------


def _community(community_id: int) -> Place:
    community = Place.objects.filter(pk=community_id, kind=PlaceKind.COMMUNITY).first()
    if community is None:
        raise NotFound()
    return community


@router.get("/appeals/lists/{community_id}", response=list[ListOut], summary="A community's list versions")
def list_versions(request, community_id: int):
    community = _community(community_id)
    require(request.user, "appeals.view_overdue", community)  # staff of the community, street, admin
    return [list_out(r) for r in selectors.lists_of(community.pk).prefetch_related("items__department")]


@router.post("/appeals/lists/{community_id}/draft", response=ListOut, summary="Start a draft (from the catalogue)")
def start_draft(request, community_id: int):
    community = _community(community_id)
    require(request.user, "appeals.change_responsibilitylist", community)
    return list_out(services.draft_list(actor=request.user, community=community))


class ItemIn(Schema):
    code: str = Field("", max_length=60, pattern=r"^[-a-z0-9]*$")
    matter: str = Field(..., min_length=1, max_length=100)
    tier: str = Field(..., max_length=12)
    category: str = Field(..., min_length=1, max_length=40)
    handler: str = Field(..., max_length=40)
    keywords: list[str] = Field(default_factory=list, max_length=50)
    accept_hours: int = Field(4, ge=0, le=999)
    respond_hours: int = Field(8, ge=0, le=999)
    reply_days: int = Field(5, ge=1, le=365)
    description: str = Field("", max_length=2000)
    help_text: str = Field("", max_length=2000)


def _draft_of(user, community_id: int):
    from .enums import ListStatus
    from .models import ResponsibilityList

    community = _community(community_id)
    require(user, "appeals.change_responsibilitylist", community)
    draft = ResponsibilityList.objects.filter(community=community, status=ListStatus.DRAFT).first()
    if draft is None:
        raise InvalidInput(_("Start a draft first."), field="list")
    return draft


@router.post("/appeals/lists/{community_id}/draft/items", response=ListOut, summary="Add or change a draft item")
def save_draft_item(request, community_id: int, payload: ItemIn):
    draft = _draft_of(request.user, community_id)
    values = payload.dict()
    item = draft.items.filter(code=values["code"]).first() if values["code"] else None
    if item is not None:
        values.pop("code")
    services.save_item(actor=request.user, rlist=draft, values=values, item=item)
    return list_out(draft)


@router.post("/appeals/lists/{community_id}/publish", response=ListOut, summary="Publish the draft (公示)")
def publish(request, community_id: int):
    draft = _draft_of(request.user, community_id)
    return list_out(services.publish_list(actor=request.user, rlist=draft))


class SettingsIn(Schema):
    allow_anonymous: bool


class SettingsOut(Schema):
    community_id: int
    allow_anonymous: bool
    updated_at: dt.datetime | None


def settings_out(row) -> dict:
    return {"community_id": row.community_id, "allow_anonymous": row.allow_anonymous, "updated_at": row.updated_at}


@router.get(
    "/public/appeal-settings/{community_id}",
    response=SettingsOut,
    auth=None,
    summary="Whether a community accepts anonymous appeals (the portal form reads it)",
)
def public_settings(request, community_id: int):
    return settings_out(selectors.appeal_settings(_community(community_id).pk))


@router.put("/appeals/settings/{community_id}", response=SettingsOut, summary="Change a community's appeal settings")
def change_settings(request, community_id: int, payload: SettingsIn):
    """The community's secretary (or an administrator); everyone else gets 403."""
    community = _community(community_id)
    row = services.set_appeal_settings(actor=request.user, community=community, allow_anonymous=payload.allow_anonymous)
    return settings_out(row)


class CalendarDayIn(Schema):
    date: dt.date
    is_workday: bool
    note: str = Field("", max_length=100)


class CalendarDayOut(Schema):
    date: dt.date
    is_workday: bool
    note: str
    source: str


@router.get("/appeals/calendar", response=list[CalendarDayOut], summary="Working-day calendar of a year")
def calendar(request, year: int = Query(..., ge=2000, le=2100)):
    from . import workdays
    from .models import CalendarDay

    overrides = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        override = overrides.get(day)
        out.append(
            {
                "date": day,
                "is_workday": workdays.is_workday(day),
                "note": override.note if override else "",
                "source": "override" if override else "national",
            }
        )
        day += dt.timedelta(days=1)
    return out


@router.put("/appeals/calendar", response=CalendarDayOut, summary="Override one date (administrators)")
def set_calendar(request, payload: CalendarDayIn):
    from gongzhi.accounts.selectors import is_admin
    from gongzhi.core.errors import Forbidden

    if not is_admin(request.user):
        raise Forbidden()
    row = services.set_calendar_day(
        actor=request.user, date=payload.date, is_workday=payload.is_workday, note=payload.note
    )
    return {"date": row.date, "is_workday": row.is_workday, "note": row.note, "source": "override"}
