"""Writes of the appeals app: intake, responsibility lists, calendar, reminders and escalation.

State changes of a case go through ``workflow.transition``; this module never assigns ``Appeal.status``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Department
from gongzhi.core import crypto, masking
from gongzhi.core import phone as phones
from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.core.permissions import require
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import classifiers, sla, workdays, workflow
from .enums import OPEN_STATUSES, Action, Channel, HandlerKind, ListStatus, Step, TriageSource
from .models import (
    Appeal,
    AppealSettings,
    Attachment,
    CalendarDay,
    Idempotency,
    ResponsibilityItem,
    ResponsibilityList,
)

MAX_TEXT = 2000
MAX_PHOTOS = 9
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/gif")
AUTO_TRIAGE_CONFIDENCE = 0.45
log = logging.getLogger(__name__)


class IdempotencyConflict(InvalidInput):
    code = "idempotency_conflict"
    status = 409


# ---- intake ----------------------------------------------------------------------------------------------


def request_digest(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def replayed_appeal(*, key: str, actor, payload: dict) -> Appeal | None:
    """The appeal an earlier request with this Idempotency-Key created, or None; a different body → 409."""
    scoped = f"{actor.pk if actor else 'anon'}:{key}"
    row = Idempotency.objects.filter(key=scoped).select_related("appeal").first()
    if row is None:
        return None
    if row.request_digest != request_digest(payload):
        raise IdempotencyConflict(
            _("This Idempotency-Key was already used for a different request."), field="Idempotency-Key"
        )
    return row.appeal


def submit_appeal(
    *,
    actor,
    community: Place,
    text: str,
    channel: str = Channel.PORTAL,
    place: Place | None = None,
    resident=None,
    contact_name: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    address: str = "",
    lat=None,
    long=None,
    external_id: str = "",
    photos=(),
    idempotency_key: str = "",
    idempotency_payload: dict | None = None,
    created_at=None,
) -> Appeal:
    """Record an appeal from any channel and triage it at once against the community's published list.

    With ``idempotency_key`` a retry returns the first case instead of creating a second one.
    """
    # Everything that only reads happens before the write transaction: on SQLite a write transaction holds
    # the database's single write lock, so the shorter it is, the more intakes per second both workers get.
    plan = plan_triage(community, text)
    staff_ids = workflow.community_staff_ids(community.pk) if community is not None else []
    if idempotency_key:
        payload = idempotency_payload if idempotency_payload is not None else {"text": text}
        # Optimistic: a first request (the usual case) pays no look-up; a retry hits the unique key and is
        # answered with the first case (or a 409 when the body differs).
        try:
            with _write_turn(), transaction.atomic():
                appeal = _submit(
                    actor=actor,
                    community=community,
                    text=text,
                    channel=channel,
                    place=place,
                    resident=resident,
                    contact_name=contact_name,
                    contact_phone=contact_phone,
                    anonymous=anonymous,
                    address=address,
                    lat=lat,
                    long=long,
                    external_id=external_id,
                    photos=photos,
                    key=f"{actor.pk if actor else 'anon'}:{idempotency_key}",
                    created_at=created_at,
                    plan=plan,
                    staff_ids=staff_ids,
                )
                Idempotency.objects.create(
                    key=appeal.idempotency_key,
                    user=actor if actor else None,
                    request_digest=request_digest(payload),
                    appeal=appeal,
                )
                return appeal
        except IntegrityError:
            existing = replayed_appeal(key=idempotency_key, actor=actor, payload=payload)
            if existing is None:
                raise
            existing.replayed = True
            return existing
    with _write_turn(), transaction.atomic():
        return _submit(
            actor=actor,
            community=community,
            text=text,
            channel=channel,
            place=place,
            resident=resident,
            contact_name=contact_name,
            contact_phone=contact_phone,
            anonymous=anonymous,
            address=address,
            lat=lat,
            long=long,
            external_id=external_id,
            photos=photos,
            key=None,
            created_at=created_at,
            plan=plan,
            staff_ids=staff_ids,
        )


def _in_transaction() -> bool:
    return connection.in_atomic_block


@contextmanager
def _write_turn():
    """SQLite only: the intakes of all server workers queue on a file lock before they BEGIN IMMEDIATE.

    SQLite has one write lock, and a writer that finds it taken polls with growing sleeps (up to 100 ms each),
    so under load one worker could lose the race again and again (seconds of p99). ``flock`` queues them and
    wakes the next at once. Taken only by an outermost transaction (an import or a seed already inside one
    holds SQLite's lock and must not wait here), and never for in-memory databases (tests).
    """
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or _in_transaction() or not name or "memory" in name:
        yield
        return
    with open(f"{name}-intake.lock", "ab") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _submit(
    *,
    actor,
    community,
    text,
    channel,
    place,
    resident,
    contact_name,
    contact_phone,
    anonymous,
    address,
    lat,
    long,
    external_id,
    photos,
    key,
    created_at,
    plan: TriagePlan,
    staff_ids: list[int],
) -> Appeal:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Describe the matter."), field="text")
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("The text may have at most %(n)d characters.") % {"n": MAX_TEXT}, field="text")
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."), field="channel")
    if community is None or community.kind != PlaceKind.COMMUNITY:
        raise InvalidInput(_("Choose the community."), field="place_id")
    if place is not None and place.community_id != community.pk:
        raise InvalidInput(_("The place is not in this community."), field="place_id")
    if anonymous and not AppealSettings.objects.filter(community_id=community.pk, allow_anonymous=True).exists():
        raise InvalidInput(
            _("This community does not accept anonymous appeals; please give your name."), field="anonymous"
        )
    if anonymous:  # whatever the channel sent: no resident link and no name; a phone stays encrypted, never shown
        resident, contact_name = None, ""
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(_("At most %(n)d photos.") % {"n": MAX_PHOTOS}, field="photos")
    for f in photos:
        if (getattr(f, "content_type", "") or "") not in PHOTO_TYPES:
            raise InvalidInput(_("Photos must be JPEG, PNG, WebP, HEIC or GIF images."), field="photos")
        if (getattr(f, "size", 0) or 0) > MAX_PHOTO_BYTES:
            raise InvalidInput(_("A photo may be at most 10 MB."), field="photos")
    phone = ""
    if contact_phone:
        try:
            phone = phones.normalize(contact_phone)
        except phones.InvalidPhone:
            raise InvalidInput(
                _("Enter a mobile number (11 digits) or a landline with area code."), field="contact"
            ) from None
    is_resident_login = actor is not None and resident is not None and actor.resident_id == resident.pk
    now = created_at or timezone.now()
    appeal = Appeal(
        community=community,
        place=place,
        path=(place or community).path,
        resident=resident,
        submitted_by=actor if (is_resident_login or channel in (Channel.PORTAL, Channel.OPEN311)) and actor else None,
        recorded_by=actor
        if actor is not None and not is_resident_login and channel not in (Channel.PORTAL, Channel.OPEN311)
        else None,
        anonymous=anonymous,
        channel=channel,
        external_id=external_id or "",
        text=text,
        address=address[:200],
        lat=lat,
        long=long,
        idempotency_key=key,
        created_at=now,
    )
    name = (contact_name or (resident.name if resident is not None else "")).strip()
    if name:
        appeal.contact_name_cipher, appeal.contact_name_masked = (
            crypto.encrypt(name),
            masking.mask_name(name)[:20],
        )
    if phone:
        appeal.contact_phone_cipher, appeal.contact_phone_hash = (
            crypto.encrypt(phone),
            crypto.lookup_hash(phone),
        )
        appeal.contact_phone_masked = masking.mask_phone(phone)
    appeal.due_at = sla.due_at(Step.TRIAGE, appeal, start=now)
    appeal.suggestion = plan.suggestion
    # One INSERT of the case (already triaged when a list item matched), both events in one statement, the
    # triage decision, the notices and outbox rows: the same rows as a submit followed by a triage move.
    appeal = workflow.open_case(
        appeal,
        actor=actor,
        now=now,
        # an anonymous appeal does not name its author on the timeline staff read (the row keeps the link)
        actor_name=_("anonymous") if anonymous else None,
        submit_data={"channel": channel, "photos": len(photos)},
        item=plan.item,
        note=_("Matched the responsibility list: %(matter)s") % {"matter": plan.item.matter} if plan.item else "",
        staff_ids=staff_ids,
    )
    for f in photos:
        Attachment.objects.create(
            appeal=appeal,
            file=f,
            name=getattr(f, "name", "")[:200],
            content_type=f.content_type,
            size=f.size or 0,
        )
    return appeal


def match_list(text: str, items) -> tuple[ResponsibilityItem | None, list[str], float]:
    """The published list item whose keywords best match ``text`` (jieba tokens and substrings).

    Same answer as ``classifiers.keyword_hits`` with the text's jieba tokens, but jieba (a 2 s dictionary load
    per server process, then ~1 ms a text) runs only if some keyword has one character: a keyword of two or
    more is found as a substring whenever it is a token (tokens hold no whitespace), so only single characters
    need the tokens.
    """
    flat = classifiers._PUNCT.sub("", text or "")
    words: set[str] | None = None
    best, best_hits, best_score = None, [], 0.0
    for item in items:
        keywords = item.keywords or []
        if words is None and any(k and len(k) < 2 for k in keywords):
            words = classifiers.tokens(text)
        hits = [k for k in keywords if k and ((len(k) >= 2 and k in flat) or (words is not None and k in words))]
        s = classifiers.score(hits)
        if s > best_score:
            best, best_hits, best_score = item, hits, s
    return best, best_hits, best_score


@dataclass(frozen=True)
class TriagePlan:
    """What intake will do: triage by a list item, or just keep the classifier's suggestion."""

    item: ResponsibilityItem | None
    suggestion: dict


_published_items: dict[tuple, list[ResponsibilityItem]] = {}  # (list id, published at) → items


def published_list_key(community_id: int) -> tuple | None:
    """(id, publication time) of the community's published list, or None: one fixed statement on the cursor,
    since building it through the ORM cost ten times its own run on every intake."""
    table = ResponsibilityList._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, published_at FROM {table} WHERE community_id = %s AND status = %s ORDER BY id",  # noqa: S608
            [community_id, ListStatus.PUBLISHED],
        )
        row = cursor.fetchone()
    return tuple(row) if row else None


def published_items(community_id: int) -> list[ResponsibilityItem]:
    """Items of the community's published list; cached per list version (a published list never changes)."""
    row = published_list_key(community_id)
    if row is None:
        return []
    # The publication time is part of the key: a list id can come back (a restored backup, a test database
    # rolled back), and its items must then be read again, never taken from another database's list.
    list_id, key = row[0], row
    items = _published_items.get(key)
    if items is None:
        items = list(
            ResponsibilityItem.objects.filter(responsibility_list_id=list_id)
            .select_related("responsibility_list", "department")
            .order_by("sort", "id")
        )
        if len(_published_items) > 5000:
            _published_items.clear()
        _published_items[key] = items
    return items


def plan_triage(community: Place, text: str) -> TriagePlan:
    """The community's published list first; else the classifier's suggestion for staff to confirm.

    Runs before the intake transaction: tokenizing and matching hold no database lock.
    """
    item, hits, confidence = match_list(text, published_items(community.pk))
    if (
        item is not None
        and confidence >= AUTO_TRIAGE_CONFIDENCE
        and (item.handler_kind != HandlerKind.DEPARTMENT or item.department_id)
    ):
        return TriagePlan(
            item=item,
            suggestion={
                "tier": item.tier,
                "category": item.category,
                "handler": item.handler_key,
                "item": item.pk,
                "confidence": round(confidence, 3),
                "reasons": [f"清单事项：{item.matter}", *[f"关键词：{h}" for h in hits]],
                "source": TriageSource.LIST,
            },
        )
    try:
        suggestions = classifiers.get_classifier().suggest(text)
    except Exception:  # noqa: BLE001 - a failing classifier must never lose an appeal: staff triage it by hand
        log.exception("appeals: the classifier failed; the case waits for manual triage")
        suggestions = []
    if not suggestions:
        return TriagePlan(item=None, suggestion={})
    best = suggestions[0]
    return TriagePlan(
        item=None,
        suggestion={
            "tier": best.tier,
            "category": best.category,
            "handler": _resolve_suggested_handler(best.handler, community),
            "confidence": round(best.confidence, 3),
            "reasons": list(best.reasons),
            "code": best.code,
            "source": TriageSource.CLASSIFIER,
        },
    )


def _resolve_suggested_handler(handler: str, community: Place) -> str:
    kind, _sep, ref = handler.partition(":")
    if kind == HandlerKind.DEPARTMENT and ref and not ref.isdigit():
        department = find_department(community, ref)
        return f"department:{department.pk}" if department else "department"
    return handler


# Common short names of the catalogue's departments, as districts often name them (鼓楼区城管局).
DEPARTMENT_ALIASES = {
    "区城市管理局": ["城市管理局", "城管局"],
    "区生态环境局": ["生态环境局", "环保局"],
    "区住房和城乡建设局": ["住房和城乡建设局", "住建局"],
    "区市场监督管理局": ["市场监督管理局", "市场监管局"],
    "区卫生健康委员会": ["卫生健康委员会", "卫健委", "卫生健康局"],
    "区人力资源和社会保障局": ["人力资源和社会保障局", "人社局"],
    "区水务局": ["水务局", "水利局"],
    "区公安分局": ["公安分局"],
}


def find_department(community: Place, name: str, office: str = "") -> Department | None:
    """The department of this name (or a known short name) at the community's street or district."""
    ancestors = [community.path[:i] for i in range(4, len(community.path) + 1, 4)]
    scope = Department.objects.filter(place__path__in=ancestors)
    candidates = [name, *[a for a in DEPARTMENT_ALIASES.get(name, [])], name.removeprefix("区")]
    for n, alias in enumerate(candidates):
        qs = scope.filter(name=alias) if n == 0 else scope.filter(name__endswith=alias)
        found = list(qs.order_by("-place__path", "office", "id")[:20])
        if found:
            return next((d for d in found if office and d.office == office), found[0])
    return None


def ensure_department(community: Place, name: str, office: str = "") -> Department:
    """The catalogue's department under the community's district (created there if missing)."""
    found = find_department(community, name, office)
    if found is not None and (not office or found.office == office or found.name != name):
        return found
    district = community
    while district.parent_id is not None:
        district = district.parent
    department, _created = Department.objects.get_or_create(place=district, name=name, office=office)
    return department


# ---- responsibility lists --------------------------------------------------------------------------------

ITEM_FIELDS = (
    "matter",
    "description",
    "tier",
    "category",
    "keywords",
    "accept_hours",
    "respond_hours",
    "reply_days",
    "help_text",
    "sort",
    "handler_kind",
    "committee",
    "department_name",
)


@transaction.atomic
def draft_list(*, actor, community: Place, note: str = "") -> ResponsibilityList:
    """A new draft: a copy of the published version, or the district default catalogue if none exists."""
    existing = ResponsibilityList.objects.filter(community=community, status=ListStatus.DRAFT).first()
    if existing is not None:
        return existing
    last = ResponsibilityList.objects.filter(community=community).order_by("-version").first()
    draft = ResponsibilityList.objects.create(
        community=community,
        version=(last.version + 1) if last else 1,
        status=ListStatus.DRAFT,
        note=note,
        created_by=actor,
    )
    published = ResponsibilityList.objects.filter(community=community, status=ListStatus.PUBLISHED).first()
    if published is not None:
        for item in published.items.all():
            values = {f: getattr(item, f) for f in ITEM_FIELDS}
            ResponsibilityItem.objects.create(
                responsibility_list=draft, code=item.code, department=item.department, **values
            )
    else:
        for row in classifiers.default_catalogue()["items"]:
            department = None
            if row["handler_kind"] == HandlerKind.DEPARTMENT:
                department = ensure_department(community, row["department"], row.get("office", ""))
            ResponsibilityItem.objects.create(
                responsibility_list=draft,
                code=row["code"],
                matter=row["matter"],
                description=row.get("description", ""),
                tier=row["tier"],
                category=row["category"],
                handler_kind=row["handler_kind"],
                department=department,
                committee=row.get("committee", ""),
                department_name=row.get("department", ""),
                keywords=row.get("keywords", []),
                accept_hours=row.get("accept_hours", 4),
                respond_hours=row.get("respond_hours", 8),
                reply_days=row.get("reply_days", 5),
                help_text=row.get("help_text", ""),
                sort=row.get("sort", 0),
            )
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=draft, scope_path=community.path)
    return draft


def _require_draft(rlist: ResponsibilityList) -> None:
    if rlist.status != ListStatus.DRAFT:
        raise InvalidInput(_("Only a draft can be edited; start a new draft from the published list."), field="list")


@transaction.atomic
def save_item(
    *, actor, rlist: ResponsibilityList, values: dict, item: ResponsibilityItem | None = None
) -> ResponsibilityItem:
    """Create or change one item of a draft. ``values`` may hold ``handler`` as in workflow.parse_handler."""
    _require_draft(rlist)
    if item is None:
        item = ResponsibilityItem(responsibility_list=rlist)
    elif item.responsibility_list_id != rlist.pk:
        raise InvalidInput(_("This item belongs to another list."), field="item")
    values = dict(values)
    handler = values.pop("handler", None)
    keywords = values.pop("keywords", None)
    for field, value in values.items():
        if field in ITEM_FIELDS or field == "code":
            setattr(item, field, value)
    if keywords is not None:
        if isinstance(keywords, str):
            keywords = [k.strip() for k in keywords.replace("，", ",").replace("、", ",").split(",")]
        item.keywords = [k for k in keywords if k][:50]
    if handler is not None:
        for field, value in workflow.parse_handler(handler, tier=item.tier).items():
            setattr(item, field, value)
    if not item.code:
        raise InvalidInput(_("Give the item a code (letters, digits and dashes)."), field="code")
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def delete_item(*, actor, item: ResponsibilityItem) -> None:
    _require_draft(item.responsibility_list)
    item.delete()


@transaction.atomic
def publish_list(*, actor, rlist: ResponsibilityList) -> ResponsibilityList:
    """Publish a draft (公示): the previous published version is superseded; cases keep their version."""
    rlist = ResponsibilityList.objects.select_for_update().get(pk=rlist.pk)
    _require_draft(rlist)
    missing = [i.matter for i in rlist.items.all() if i.handler_kind == HandlerKind.DEPARTMENT and not i.department_id]
    if missing:
        raise InvalidInput(_("Choose a department for: %(items)s") % {"items": "、".join(missing[:5])}, field="items")
    if not rlist.items.exists():
        raise InvalidInput(_("The list has no items."), field="items")
    ResponsibilityList.objects.filter(community_id=rlist.community_id, status=ListStatus.PUBLISHED).update(
        status=ListStatus.SUPERSEDED
    )
    rlist.status, rlist.published_at, rlist.published_by = ListStatus.PUBLISHED, timezone.now(), actor
    rlist.save(update_fields=["status", "published_at", "published_by"])
    record_audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=rlist,
        scope_path=rlist.community.path,
        data={"published": rlist.version},
    )
    return rlist


# ---- calendar --------------------------------------------------------------------------------------------


@transaction.atomic
@transaction.atomic
def set_appeal_settings(*, actor, community: Place, allow_anonymous: bool) -> AppealSettings:
    """诉求设置 — the community secretary (or an administrator) decides whether anonymous appeals are accepted."""
    require(actor, "appeals.change_appealsettings", community)
    row, _created = AppealSettings.objects.select_for_update().get_or_create(community=community)
    before = row.allow_anonymous
    row.allow_anonymous, row.updated_by = allow_anonymous, actor
    row.save()
    record_audit(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=row,
        scope_path=community.path,
        data={"allow_anonymous": [before, allow_anonymous], "community": community.pk},
    )
    return row


def set_calendar_day(*, actor, date, is_workday: bool, note: str = "") -> CalendarDay:
    day, _created = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "note": note[:100]}
    )
    transaction.on_commit(workdays.forget_overrides)
    workdays.forget_overrides()
    return day


# ---- reminders and escalation (run by the tick) -----------------------------------------------------------


def send_reminders(*, now=None) -> int:
    """Remind the next actors of every open case whose deadline is within REMIND_HOURS."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=sla.REMIND_HOURS)
    ids = list(
        Appeal.objects.filter(
            status__in=OPEN_STATUSES, reminded_at__isnull=True, due_at__gte=now, due_at__lte=horizon
        ).values_list("pk", flat=True)[:5000]
    )
    return sum(1 for pk in ids if workflow.remind(Appeal(pk=pk), now=now))


def escalate_overdue_appeals(*, now=None) -> int:
    """Escalate to the street every open case past its deadline that has not been escalated yet."""
    now = now or timezone.now()
    ids = list(
        Appeal.objects.filter(status__in=OPEN_STATUSES, escalated_at__isnull=True, due_at__lt=now).values_list(
            "pk", flat=True
        )[:5000]
    )
    done = 0
    for pk in ids:
        try:
            workflow.transition(
                Appeal(pk=pk),
                Action.ESCALATE,
                actor=None,
                now=now,
                overdue=True,
                note=_("Overdue: escalated to the street automatically."),
            )
            done += 1
        except workflow.IllegalTransition:
            continue
    return done


def tick(*, now=None) -> dict[str, int]:
    from .notifications import deliver_pending

    now = now or timezone.now()
    result = {"reminded": send_reminders(now=now), "escalated": escalate_overdue_appeals(now=now)}
    result.update(deliver_pending())
    refresh_planner_statistics()
    return result


def refresh_planner_statistics() -> None:
    """SQLite only: ``PRAGMA optimize`` (re-analyses tables whose statistics are stale, usually nothing). With
    statistics SQLite's planner answers the inboxes from their partial indexes; without, at a million cases it
    may sort a street's open cases instead. PostgreSQL's autovacuum keeps its own statistics."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
