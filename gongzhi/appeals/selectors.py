"""Reads of appeals that depend on who is asking."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.accounts.selectors import scopes_of
from gongzhi.core import paths
from gongzhi.core.errors import NotFound
from gongzhi.registry.enums import PlaceKind

from .enums import OPEN_STATUSES, SENT_STATUSES, ListStatus
from .models import Appeal, AppealEvent, Notification, ResponsibilityItem, ResponsibilityList
from .rules import COMMUNITY_STAFF

_NOTHING = Q(pk__in=[])
_PLACE_ROLES = COMMUNITY_STAFF | {Role.STREET_OFFICER, Role.GRID_WORKER}


def _scope_q(user, *, with_own: bool = True) -> Q | None:
    """None means everywhere (administrator)."""
    scopes = scopes_of(user)
    if any(s.role == Role.ADMIN for s in scopes):
        return None
    q = _NOTHING
    departments = set()
    for s in scopes:
        if s.role in _PLACE_ROLES and s.path:
            if s.place_kind == PlaceKind.COMMUNITY:
                q |= Q(community_id=s.community_id)
            else:
                q |= paths.subtree_q("path", s.path)
        elif s.role == Role.DEPARTMENT_HANDLER and s.department_id:
            departments.add(s.department_id)
    if departments:
        q |= Q(department_id__in=sorted(departments), status__in=SENT_STATUSES)
    if with_own and user.is_authenticated:
        q |= Q(submitted_by_id=user.pk)
        if user.resident_id:
            q |= Q(resident_id=user.resident_id)
    return q


def appeals_visible_to(user) -> QuerySet[Appeal]:
    q = _scope_q(user)
    qs = Appeal.objects.all()
    return qs if q is None else qs.filter(q)


def appeals_handled_by(user) -> QuerySet[Appeal]:
    """Cases the user works on as staff (not the ones they submitted as a resident)."""
    q = _scope_q(user, with_own=False)
    qs = Appeal.objects.all()
    return qs if q is None else qs.filter(q)


def own_appeals(user) -> QuerySet[Appeal]:
    if not user.is_authenticated:
        return Appeal.objects.none()
    q = Q(submitted_by_id=user.pk)
    if user.resident_id:
        q |= Q(resident_id=user.resident_id)
    return Appeal.objects.filter(q)


def with_related(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.select_related("community", "place", "department", "list_item__responsibility_list")


def access_appeal(user, appeal_id) -> Appeal:
    """The single way views fetch one appeal; missing and forbidden look the same."""
    try:
        return with_related(appeals_visible_to(user)).get(pk=int(appeal_id))
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def appeal_timeline(appeal: Appeal) -> list[AppealEvent]:
    return list(appeal.events.select_related("actor").prefetch_related("attachments").order_by("created_at", "id"))


def search_appeals(
    user,
    *,
    status: str = "",
    tier: str = "",
    q: str = "",
    community: int | None = None,
    department: int | None = None,
    overdue: bool | None = None,
    mine: bool = False,
    channel: str = "",
) -> QuerySet[Appeal]:
    qs = own_appeals(user) if mine else appeals_visible_to(user)
    if status:
        qs = qs.filter(status__in=status.split(","))
    if tier:
        qs = qs.filter(tier=tier)
    if channel:
        qs = qs.filter(channel=channel)
    if community:
        qs = qs.filter(community_id=community)
    if department:
        qs = qs.filter(department_id=department)
    if overdue:
        qs = qs.overdue()
    if q:
        qs = qs.filter(Q(text__contains=q) | Q(category__contains=q) | Q(external_id=q))
    return with_related(qs).order_by("-created_at", "-id")


def triage_inbox(user) -> QuerySet[Appeal]:
    """Cases waiting for the community to triage and place the order (社区分流点单)."""
    return with_related(appeals_handled_by(user).filter(status__in=["submitted", "triaged"])).order_by("due_at", "id")


def handler_inbox(user) -> QuerySet[Appeal]:
    """Open cases the user is the next to act on: department handlers, street officers, committees."""
    qs = appeals_handled_by(user).filter(status__in=["assigned", "accepted", "in_progress"])
    return with_related(qs).order_by("due_at", "id")


def overdue_board(user, *, group: str = "handler") -> list[dict]:
    """Overdue open cases grouped per handler, community or street: [{"key","label","count"}]."""
    now = timezone.now()
    qs = appeals_handled_by(user).filter(status__in=OPEN_STATUSES, due_at__lt=now)
    if group == "community":
        rows = qs.values("community_id", "community__name").annotate(n=Count("id")).order_by("-n")
        return [{"key": r["community_id"], "label": r["community__name"], "count": r["n"]} for r in rows]
    if group == "street":
        rows = qs.values("community__parent_id", "community__parent__name").annotate(n=Count("id")).order_by("-n")
        return [
            {"key": r["community__parent_id"], "label": r["community__parent__name"], "count": r["n"]} for r in rows
        ]
    rows = (
        qs.values("handler_kind", "department_id", "department__name", "department__office", "committee")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    out = []
    for r in rows:
        probe = Appeal(handler_kind=r["handler_kind"], committee=r["committee"] or "")
        if r["department_id"]:
            label = r["department__name"] + (f"·{r['department__office']}" if r["department__office"] else "")
        else:
            label = probe.handler_label or "—"
        out.append(
            {
                "key": f"{r['handler_kind']}:{r['department_id'] or r['committee'] or ''}",
                "label": label,
                "count": r["n"],
            }
        )
    return out


def public_appeals(*, community: int | None = None, tier: str = "", category: str = "") -> QuerySet[Appeal]:
    qs = Appeal.objects.public()
    if community:
        qs = qs.filter(community_id=community)
    if tier:
        qs = qs.filter(tier=tier)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("community", "department").order_by("-closed_at", "-id")


def published_list(community_id: int) -> ResponsibilityList | None:
    return (
        ResponsibilityList.objects.filter(community_id=community_id, status=ListStatus.PUBLISHED)
        .prefetch_related(Prefetch("items", queryset=ResponsibilityItem.objects.select_related("department")))
        .first()
    )


def lists_of(community_id: int) -> QuerySet[ResponsibilityList]:
    return ResponsibilityList.objects.filter(community_id=community_id).order_by("-version")


def unread_notifications(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, read_at__isnull=True).select_related("appeal")
