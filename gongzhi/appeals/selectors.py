"""Reads of appeals that depend on who is asking."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department
from gongzhi.accounts.selectors import scopes_of
from gongzhi.core import paths
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.registry.enums import PlaceKind

from .enums import HANDLER_STATUSES, OPEN_STATUSES, SENT_STATUSES, TIER_COLORS, TRIAGE_STATUSES, ListStatus
from .models import (
    Appeal,
    AppealEvent,
    AppealSettings,
    Notification,
    ResponsibilityItem,
    ResponsibilityList,
    handler_label_of,
)
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


def _inbox(user, statuses: tuple[str, ...]) -> QuerySet[Appeal]:
    """Open cases in ``statuses`` inside the user's staff scopes, earliest deadline first.

    Each scope becomes the plain filter one partial index answers (models: ``appeal_<inbox>_dept`` /
    ``_comm`` / ``_due``): ``department_id = d``, ``community_id = c`` or a path range, always beside the
    exact ``status IN (…)`` of the index's condition and ordered by (due_at, id).
    """
    scopes = scopes_of(user)
    base = Appeal.objects.filter(status__in_literals=statuses)
    if any(s.role == Role.ADMIN for s in scopes):
        return base.order_by("due_at", "id")
    q = _NOTHING
    departments: set[int] = set()
    for s in scopes:
        if s.role in _PLACE_ROLES and s.path:
            if s.place_kind == PlaceKind.COMMUNITY:
                q |= Q(community_id=s.community_id)
            else:
                q |= Q(path__under=s.path)
        elif s.role == Role.DEPARTMENT_HANDLER and s.department_id and set(statuses) <= SENT_STATUSES:
            departments.add(s.department_id)
    if len(departments) == 1:
        q |= Q(department_id=departments.pop())
    elif departments:
        q |= Q(department_id__in=sorted(departments))
    return base.filter(q).order_by("due_at", "id")


def _list_related(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """What a list row shows (community name, handler, list version): fewer joined columns than a case page."""
    return qs.select_related("community", "department", "list_item__responsibility_list").only(
        *(f.name for f in Appeal._meta.concrete_fields if f.name not in _LIST_SKIPS),
        "community__name",
        "department__name",
        "department__office",
        "list_item__id",
        "list_item__responsibility_list__version",
    )


# Columns a list row never reads (the redacted copies and the ciphers stay on disk).
_LIST_SKIPS = frozenset({"public_text", "public_reply", "contact_name_cipher", "contact_phone_cipher",
                         "contact_phone_hash"})


def triage_inbox(user) -> QuerySet[Appeal]:
    """Cases waiting for the community to triage and place the order (社区分流点单)."""
    return _list_related(_inbox(user, TRIAGE_STATUSES))


def handler_inbox(user) -> QuerySet[Appeal]:
    """Open cases the user is the next to act on: department handlers, street officers, committees."""
    return _list_related(_inbox(user, HANDLER_STATUSES))


def triage_inbox_rows(user) -> QuerySet[Appeal]:
    """The triage inbox without the joins of a page: for ``inbox_page``."""
    return _inbox(user, TRIAGE_STATUSES)


def handler_inbox_rows(user) -> QuerySet[Appeal]:
    """The handler inbox without the joins of a page: for ``inbox_page``."""
    return _inbox(user, HANDLER_STATUSES)


# What an inbox row of the API shows (the case itself, with reply, rating and timeline: GET /appeals/{id}).
_INBOX_COLUMNS = ("id", "status", "tier", "category", "handler_kind", "department_id", "committee",
                  "due_at", "reply_due_at", "escalated_at", "channel", "text", "community_id", "community__name",
                  "place_id", "anonymous", "created_at", "department__name", "department__office")


def inbox_page(qs: QuerySet[Appeal], *, cursor: str = "", offset: int = 0, limit: int = 20) -> dict:
    """One page of an inbox (``triage_inbox_rows`` / ``handler_inbox_rows``) as plain rows: {"items", "count",
    "count_exact", "next"}. Read as values — an inbox page is read far more often than any case is opened,
    and 20 model instances with their joins cost more than the query."""
    count, exact = bounded_count(qs)
    if cursor:
        qs = after_cursor(qs, cursor)
    rows = list(qs.values(*_INBOX_COLUMNS)[offset : offset + limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    now = timezone.now()
    items = []
    for r in rows:
        department = r.pop("department__name"), r.pop("department__office")
        label = Department.label_of(*department) if r["department_id"] and department[0] is not None else ""
        due = r["due_at"]
        r.update(
            color=TIER_COLORS.get(r["tier"], ""),
            handler=handler_label_of(r["handler_kind"], r["committee"], label),
            community=r.pop("community__name"),
            overdue=due is not None and due < now,  # every status of an inbox is open
            escalated=r.pop("escalated_at") is not None,
        )
        items.append(r)
    last = rows[-1] if more and rows else None
    return {"items": items, "count": count, "count_exact": exact,
            "next": cursor_of(last["due_at"], last["id"]) if last else None}


INBOX_COUNT_CAP = 1_000


def bounded_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, exact): counts at most ``cap`` + 1 rows of ``qs`` (one index range), so a street with a
    hundred thousand open cases costs the same as one with ten thousand; past ``cap`` the answer is
    (cap, False), shown as "1000+"."""
    # Kept in the inbox's order on purpose: SQLite then walks the covering partial index instead of a
    # status index it would have to visit the table through.
    cap = INBOX_COUNT_CAP if cap is None else cap
    n = qs.select_related(None).values("id")[: cap + 1].count()
    return (n, True) if n <= cap else (cap, False)


def cursor_of(due: dt.datetime | None, pk: int) -> str:
    """The keyset cursor after the case (``due``, ``pk``) in an inbox: '<due_at in µs since the epoch>.<id>'."""
    micros = "" if due is None else str(round(due.timestamp() * 1_000_000))
    return f"{micros}.{pk}"


def after_cursor(qs: QuerySet[Appeal], cursor: str) -> QuerySet[Appeal]:
    """The rows of an inbox (ordered by due_at, id) after ``cursor``; a bad cursor is a 422 naming it."""



    micros, _sep, pk = (cursor or "").partition(".")
    try:
        pk_value = int(pk)
        due = None if micros == "" else dt.datetime.fromtimestamp(int(micros) / 1_000_000, tz=dt.UTC)
        if pk_value < 1 or pk_value > 2**63 - 1:
            raise ValueError(pk)
    except (ValueError, OverflowError, OSError):
        raise InvalidInput(_("This page link is not valid; start from the first page."), field="cursor") from None
    if due is None:  # open cases always have a deadline; a cursor without one continues by id
        return qs.filter(due_at__isnull=True, id__gt=pk_value)
    return qs.filter(Q(due_at__gt=due) | Q(due_at=due, id__gt=pk_value))


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
        department = Department.label_of(r["department__name"], r["department__office"]) if r["department_id"] else ""
        label = handler_label_of(r["handler_kind"], r["committee"] or "", department) or "—"
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


def appeal_settings(community_id: int) -> AppealSettings:
    """The community's settings, or the defaults (unsaved) when its secretary never changed them."""
    found = AppealSettings.objects.filter(community_id=community_id).first()
    return found if found is not None else AppealSettings(community_id=community_id)
