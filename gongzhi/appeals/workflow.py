"""诉求办理流程 — the case state machine. This is the only module that assigns Appeal.status.

    submitted → triaged → assigned → accepted → in_progress → replied → rated → closed
                  ↑  return (refused with a reason, at most MAX_RETURNS times) ─┘
    escalate (吹哨, or overdue): stays in its status, flagged to the street, once
    merge → merged (duplicates get the master's reply) · withdraw → withdrawn
    rated (不满意) → reopen → in_progress, once

``transition`` checks whether a move is *legal*; whether the actor *may* make it is ``rules.py``, asked at
the boundary. Every move writes one AppealEvent and its notifications in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department, RoleAssignment, User
from gongzhi.core.errors import DomainError, InvalidInput
from gongzhi.party.enums import Function

from . import notifications, sla
from .enums import (
    OPEN_STATUSES,
    TIER_COLORS,
    Action,
    AppealStatus,
    HandlerKind,
    Rating,
    Step,
    Tier,
    TriageSource,
)
from .models import Appeal, AppealEvent, Attachment, ResponsibilityItem, TriageDecision

S = AppealStatus
A = Action

_WAITING = (S.SUBMITTED, S.TRIAGED, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS)

TRANSITIONS: Mapping[tuple[str, str], str] = {
    (S.SUBMITTED, A.TRIAGE): S.TRIAGED,
    (S.TRIAGED, A.TRIAGE): S.TRIAGED,  # staff override of an automatic triage
    (S.TRIAGED, A.ASSIGN): S.ASSIGNED,  # 社区点单
    (S.ASSIGNED, A.ACCEPT): S.ACCEPTED,  # 街道接单 (or the committee takes it)
    (S.ACCEPTED, A.START): S.IN_PROGRESS,  # 部门响应
    (S.ACCEPTED, A.REPLY): S.REPLIED,
    (S.IN_PROGRESS, A.REPLY): S.REPLIED,
    (S.REPLIED, A.RATE): S.RATED,
    (S.REPLIED, A.FOLLOW_UP): S.RATED,  # 回访: staff record the rating by phone
    (S.RATED, A.CLOSE): S.CLOSED,  # 销号
    (S.RATED, A.REOPEN): S.IN_PROGRESS,
    (S.ASSIGNED, A.RETURN): S.TRIAGED,
    (S.ACCEPTED, A.RETURN): S.TRIAGED,
    (S.IN_PROGRESS, A.RETURN): S.TRIAGED,
    **{(s, A.ESCALATE): s for s in _WAITING},
    **{(s, A.MERGE): S.MERGED for s in _WAITING},
    **{(s, A.WITHDRAW): S.WITHDRAWN for s in _WAITING},
}


class IllegalTransition(DomainError):
    code = "illegal_transition"
    status = 409

    def __init__(self, status: str, action: str, message=None):
        self.from_status, self.action = status, action
        super().__init__(
            message
            or _("A case that is “%(status)s” cannot be given the action “%(action)s”.")
            % {"status": S(status).label, "action": Action(action).label}
        )


def available_actions(appeal: Appeal) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == appeal.status and _guard(appeal, action) is None]


def _guard(appeal: Appeal, action: str) -> str | None:
    """Why a move that the table allows is still refused, or None."""
    if action == A.RETURN and appeal.returns_count >= sla.MAX_RETURNS:
        return gettext_lazy("This case has been returned too often; escalate it to the street instead.")
    if action == A.ESCALATE and appeal.escalated_at is not None:
        return gettext_lazy("This case has already been escalated to the street.")
    if action == A.REOPEN:
        if appeal.rating != Rating.UNSATISFIED:
            return gettext_lazy("Only a case rated unsatisfied can be reopened.")
        if appeal.reopen_count >= sla.MAX_REOPENS:
            return gettext_lazy("This case has already been reopened once.")
    if action == A.ASSIGN and not appeal.tier:
        return gettext_lazy("Triage the case before placing the order.")
    return None


def _actor_name(actor) -> str:
    if actor is None:
        return "system"
    return actor.display_name or actor.get_username()


def record_event(
    appeal: Appeal,
    *,
    action: str,
    actor,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
    files=(),
    at=None,
    actor_name: str | None = None,
) -> AppealEvent:
    event = AppealEvent.objects.create(
        appeal=appeal,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_name=_actor_name(actor) if actor_name is None else actor_name,
        note=note,
        data=data or {},
        created_at=at or timezone.now(),
    )
    for f in files:
        Attachment.objects.create(
            appeal=appeal,
            event=event,
            file=f,
            name=getattr(f, "name", "")[:200],
            content_type=getattr(f, "content_type", "") or "",
            size=getattr(f, "size", 0) or 0,
        )
    return event


# ---- handler parsing -------------------------------------------------------------------------------------


def parse_handler(value: str, *, tier: str) -> dict[str, Any]:
    """``department:<id>`` · ``committee:<function>`` · ``resident`` → model fields, checked against tier."""
    kind, _sep, ref = (value or "").partition(":")
    if kind == HandlerKind.DEPARTMENT:
        try:
            department = Department.objects.get(pk=int(ref))
        except (ValueError, Department.DoesNotExist):
            raise InvalidInput(_("Choose an existing department."), field="handler") from None
        fields = {"handler_kind": kind, "department": department, "committee": ""}
    elif kind == HandlerKind.COMMITTEE:
        if ref not in Function.values:
            raise InvalidInput(_("Choose one of the committees of the residents' committee."), field="handler")
        fields = {"handler_kind": kind, "department": None, "committee": ref}
    elif kind == HandlerKind.RESIDENT:
        fields = {"handler_kind": kind, "department": None, "committee": ""}
    else:
        raise InvalidInput(_("Choose who handles the case."), field="handler")
    expected = {
        Tier.GOVERNMENT: HandlerKind.DEPARTMENT,
        Tier.COMMUNITY: HandlerKind.COMMITTEE,
        Tier.PRIVATE: HandlerKind.RESIDENT,
    }.get(tier)
    if expected is None:
        raise InvalidInput(_("Choose the tier: government, community or private matter."), field="tier")
    if kind != expected:
        raise InvalidInput(
            _(
                "This handler does not fit the tier: government matters go to a department, "
                "community matters to a committee, private matters to the resident."
            ),
            field="handler",
        )
    return fields


# ---- recipients ------------------------------------------------------------------------------------------


def _community_staff(appeal: Appeal):
    return User.objects.filter(
        roles__role__in=[Role.SECRETARY, Role.COMMUNITY_WORKER],
        roles__place_id=appeal.community_id,
        is_active=True,
    ).distinct()


def _street_officers(appeal: Appeal):
    ancestors = [appeal.path[:i] for i in range(4, len(appeal.path) + 1, 4)]
    return User.objects.filter(
        roles__role=Role.STREET_OFFICER, roles__place__path__in=ancestors, is_active=True
    ).distinct()


def _department_handlers(appeal: Appeal):
    if not appeal.department_id:
        return User.objects.none()
    return User.objects.filter(
        roles__role=Role.DEPARTMENT_HANDLER, roles__department_id=appeal.department_id, is_active=True
    ).distinct()


def _resident_users(appeal: Appeal):
    q = Q(pk=appeal.submitted_by_id) if appeal.submitted_by_id else Q(pk__in=[])
    if appeal.resident_id:
        q |= Q(resident_id=appeal.resident_id)
    return User.objects.filter(q, is_active=True)


def _next_actors(appeal: Appeal):
    if appeal.status in (S.SUBMITTED, S.TRIAGED):
        return _community_staff(appeal)
    if appeal.tier == Tier.GOVERNMENT:
        return _street_officers(appeal) if appeal.status == S.ASSIGNED else _department_handlers(appeal)
    return _community_staff(appeal)


def community_staff_ids(community_id: int) -> list[int]:
    """Who is told of a new appeal; intake reads it before its write transaction (a shorter write lock).

    The same rows as ``_community_staff``, in one fixed statement on the cursor: the ORM spent several times the
    query's own run building it, on every intake.
    """
    users, roles = User._meta.db_table, RoleAssignment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT u.id FROM {users} u JOIN {roles} r ON r.user_id = u.id "  # noqa: S608
            "WHERE r.role IN (%s, %s) AND r.place_id = %s AND u.is_active ORDER BY u.id",
            [Role.SECRETARY, Role.COMMUNITY_WORKER, community_id],
        )
        return [row[0] for row in cursor.fetchall()]


def _notify(appeal: Appeal, action: str, *, user_ids: list[int] | None = None) -> None:
    ref = f"#{appeal.pk}"
    messages = {
        A.SUBMIT: (_community_staff, _("New appeal %(ref)s waits for triage.")),
        A.RETURN: (_community_staff, _("Appeal %(ref)s was returned and needs triage again.")),
        A.ASSIGN: (_next_actors, _("Appeal %(ref)s was sent to you; please accept it.")),
        A.ACCEPT: (_next_actors, _("Appeal %(ref)s was accepted and waits for your response.")),
        A.REPLY: (_resident_users, _("Your appeal %(ref)s has been answered; please rate the reply.")),
        A.ESCALATE: (_street_officers, _("Appeal %(ref)s was escalated to the street.")),
        A.REOPEN: (_next_actors, _("Appeal %(ref)s was reopened after an unsatisfied rating.")),
        A.CLOSE: (_resident_users, _("Your appeal %(ref)s is closed.")),
        A.REMIND: (_next_actors, _("Appeal %(ref)s is due soon.")),
        A.MERGE: (_resident_users, _("Your appeal %(ref)s was merged with a case about the same matter.")),
    }
    if action not in messages:
        return
    who, text = messages[action]
    if user_ids is None:
        user_ids = list(who(appeal).values_list("pk", flat=True))
    notifications.notify(user_ids=user_ids, appeal=appeal, verb=action, text=text % {"ref": ref})


# ---- the transition --------------------------------------------------------------------------------------


@transaction.atomic
def transition(
    appeal: Appeal, action: str, *, actor, note: str = "", files=(), fresh: bool = False, **params
) -> Appeal:
    """Make one move. Raises IllegalTransition or InvalidInput and then changes nothing.

    ``fresh``: the appeal was created in this very transaction (intake), so nobody else can hold it and
    the in-memory row is the current one; otherwise it is read again under a row lock.
    """
    if not fresh:
        appeal = (Appeal.objects.select_for_update(of=("self",))
                  .select_related("list_item", "community").get(pk=appeal.pk))
    action = Action(action) if action in Action.values else action
    target = TRANSITIONS.get((appeal.status, action))
    if target is None:
        raise IllegalTransition(appeal.status, action)
    refusal = _guard(appeal, action)
    if refusal is not None:
        raise IllegalTransition(appeal.status, action, refusal)
    note = (note or "").strip()
    now = params.pop("now", None) or timezone.now()
    source = appeal.status
    data: dict[str, Any] = {}
    fields = {"status", "due_at", "updated_at"}

    if action == A.TRIAGE:
        data, decision = _apply_triage(appeal, actor=actor, **params)
        decision.save()
        fields |= {"tier", "category", "handler_kind", "department", "committee", "list_item", "list_version"}
        if source == S.SUBMITTED:
            appeal.due_at = appeal.due_at or sla.due_at(Step.TRIAGE, appeal, start=now)
    elif action == A.ASSIGN:
        if appeal.tier == Tier.GOVERNMENT and not appeal.department_id:
            raise InvalidInput(_("Choose the department before placing the order."), field="handler")
        appeal.due_at = sla.due_at(Step.ACCEPT, appeal, start=now)
        appeal.reply_due_at = sla.due_at(Step.REPLY, appeal, start=now)
        appeal.reminded_at = None
        fields |= {"reply_due_at", "reminded_at"}
    elif action == A.ACCEPT:
        appeal.due_at, appeal.reminded_at = sla.due_at(Step.RESPOND, appeal, start=now), None
        fields |= {"reminded_at"}
    elif action == A.START:
        appeal.due_at, appeal.reminded_at = appeal.reply_due_at, None
        fields |= {"reminded_at"}
    elif action == A.REPLY:
        if not note:
            raise InvalidInput(_("Write the reply to the resident."), field="note")
        appeal.reply, appeal.replied_at, appeal.due_at = note, now, None
        appeal.responded_in_time = appeal.reply_due_at is None or now <= appeal.reply_due_at
        appeal.resolved = bool(params.get("resolved", True))
        fields |= {"reply", "replied_at", "responded_in_time", "resolved"}
        data["resolved"] = appeal.resolved
    elif action in (A.RATE, A.FOLLOW_UP):
        rating = params.get("rating") or ""
        if rating not in Rating.values:
            raise InvalidInput(_("Choose satisfied, basically satisfied or unsatisfied."), field="rating")
        appeal.rating, appeal.rated_at = rating, now
        appeal.rating_comment = (params.get("comment") or "").strip()
        appeal.satisfied = rating != Rating.UNSATISFIED
        if params.get("resolved") is not None:
            appeal.resolved = bool(params["resolved"])
        fields |= {"rating", "rated_at", "rating_comment", "satisfied", "resolved"}
        if action == A.FOLLOW_UP:
            appeal.followed_up_at = now
            fields.add("followed_up_at")
        data.update({"rating": rating, "comment": appeal.rating_comment})
    elif action == A.CLOSE:
        from .redaction import redact_for_community

        extra = [n for n in [_contact_name(appeal)] if n]
        appeal.closed_at = now
        appeal.public_text = redact_for_community(appeal.text, community_id=appeal.community_id, extra_names=extra)
        appeal.public_reply = redact_for_community(appeal.reply, community_id=appeal.community_id, extra_names=extra)
        fields |= {"closed_at", "public_text", "public_reply"}
    elif action == A.REOPEN:
        appeal.reopen_count += 1
        appeal.reply_due_at = sla.due_at(Step.REPLY, appeal, start=now)
        appeal.due_at, appeal.reminded_at = appeal.reply_due_at, None
        appeal.rating, appeal.rated_at, appeal.satisfied, appeal.rating_comment = "", None, None, ""
        fields |= {
            "reopen_count",
            "reply_due_at",
            "reminded_at",
            "rating",
            "rated_at",
            "satisfied",
            "rating_comment",
        }
    elif action == A.RETURN:
        if not note:
            raise InvalidInput(_("Give the reason for returning the case."), field="note")
        appeal.returns_count += 1
        appeal.due_at, appeal.reminded_at = sla.due_at(Step.TRIAGE, appeal, start=now), None
        data["handler"] = appeal.handler_key
        fields |= {"returns_count", "reminded_at"}
    elif action == A.ESCALATE:
        appeal.escalated_at = now
        data["overdue"] = bool(params.get("overdue"))
        fields.add("escalated_at")
    elif action == A.MERGE:
        master = _merge_target(appeal, params.get("into"))
        appeal.merged_into, appeal.due_at = master, None
        if master.reply:
            appeal.reply, appeal.replied_at = master.reply, master.replied_at
        data["into"] = master.pk
        fields |= {"merged_into", "reply", "replied_at"}
    elif action == A.WITHDRAW:
        appeal.due_at = None

    appeal.status = target
    # Meta.constraints hold in the database; a full_clean() here would cost a query per constraint.
    appeal.save(update_fields=sorted(fields))
    record_event(
        appeal,
        action=action,
        actor=actor,
        from_status=source,
        to_status=target,
        note=note,
        data=data,
        files=files,
        at=now,
    )
    _notify(appeal, action)
    if action == A.REPLY:
        _copy_reply_to_duplicates(appeal, actor=actor, now=now)
    return appeal


def open_case(
    appeal: Appeal,
    *,
    actor,
    now,
    submit_data: dict,
    actor_name: str | None = None,
    item: ResponsibilityItem | None = None,
    note: str = "",
    staff_ids: list[int] | None = None,
) -> Appeal:
    """Intake: write a new case with its submit event and, when a list item matched, its automatic triage.

    The same rows as ``record_event(SUBMIT)`` followed by ``transition(TRIAGE)``, in fewer statements: the
    triage is applied before the INSERT (no UPDATE, no savepoint), both events go in one ``bulk_create``.
    Call it inside the intake transaction; photos are attached by the caller after it returns.
    """
    appeal.status = S.SUBMITTED
    events = [
        dict(action=A.SUBMIT, from_status="", to_status=S.SUBMITTED, actor=actor,
             actor_name=_actor_name(actor) if actor_name is None else actor_name, note="", data=submit_data)
    ]
    decision = None
    if item is not None:
        target = TRANSITIONS[(S.SUBMITTED, A.TRIAGE)]
        data, decision = _apply_triage(appeal, actor=None, item=item, source=TriageSource.LIST)
        appeal.status = target
        events.append(dict(action=A.TRIAGE, from_status=S.SUBMITTED, to_status=target, actor=None,
                           actor_name=_actor_name(None), note=(note or "").strip(), data=data))
    appeal.save()
    AppealEvent.objects.bulk_create([AppealEvent(appeal=appeal, created_at=now, **e) for e in events])
    if decision is not None:
        decision.appeal = appeal
        decision.save()
    # the notice of the submission (a triage by the list has none of its own)
    _notify(appeal, A.SUBMIT, user_ids=staff_ids)
    return appeal


def _contact_name(appeal: Appeal) -> str:
    from gongzhi.core import crypto

    names = []
    if appeal.contact_name_cipher:
        names.append(crypto.decrypt(appeal.contact_name_cipher))
    return names[0] if names else ""


def _apply_triage(
    appeal: Appeal,
    *,
    actor,
    tier: str = "",
    handler: str = "",
    category: str = "",
    item: ResponsibilityItem | None = None,
    source: str = TriageSource.STAFF,
    **_ignored,
) -> tuple[dict, TriageDecision]:
    """Set the triage fields on ``appeal``; returns the event's data and the (unsaved) triage decision."""
    if item is not None:
        tier = tier or item.tier
        category = category or item.category
        handler = handler or item.handler_key
    if tier not in Tier.values:
        raise InvalidInput(_("Choose the tier: government, community or private matter."), field="tier")
    if item is not None and handler == item.handler_key and tier == item.tier:
        fields = {"handler_kind": item.handler_kind, "department": item.department, "committee": item.committee}
    else:
        fields = parse_handler(handler, tier=tier)
    category = (category or "").strip()
    if not category:
        raise InvalidInput(_("Choose the category."), field="category")
    suggested = dict(appeal.suggestion or {})
    before = {
        "tier": appeal.tier,
        "category": appeal.category,
        "handler": appeal.handler_key,
        "item": appeal.list_item_id,
    }
    appeal.tier, appeal.category = tier, category[:40]
    for k, v in fields.items():
        setattr(appeal, k, v)
    if item is not None:
        appeal.list_item, appeal.list_version = item, item.responsibility_list
    elif before["tier"] != tier or before["category"] != category:
        appeal.list_item = None
    chosen = {
        "tier": tier,
        "category": appeal.category,
        "handler": appeal.handler_key,
        "item": appeal.list_item_id,
    }
    reference = suggested or (before if before["tier"] else {})
    overridden = bool(reference) and any(reference.get(k) != chosen[k] for k in ("tier", "category", "handler"))
    decision = TriageDecision(
        appeal=appeal,
        actor=actor,
        source=source,
        text=appeal.text,
        suggested=reference,
        chosen=chosen,
        overridden=overridden,
    )
    return {"chosen": chosen, "overridden": overridden, "source": source, "color": TIER_COLORS[tier]}, decision


def _merge_target(appeal: Appeal, into) -> Appeal:
    master_id = getattr(into, "pk", into)
    if not master_id:
        raise InvalidInput(_("Choose the case to merge into."), field="into")
    try:
        master = Appeal.objects.get(pk=master_id)
    except (Appeal.DoesNotExist, ValueError, TypeError):
        raise InvalidInput(_("Choose the case to merge into."), field="into") from None
    if master.pk == appeal.pk:
        raise InvalidInput(_("A case cannot be merged into itself."), field="into")
    if master.community_id != appeal.community_id:
        raise InvalidInput(_("Only cases of the same community can be merged."), field="into")
    if master.status in (S.MERGED, S.WITHDRAWN):
        raise InvalidInput(_("This case was itself merged or withdrawn; merge into the case it went to."), field="into")
    return master


def _copy_reply_to_duplicates(master: Appeal, *, actor, now) -> None:
    """Duplicates get the same reply (their status stays merged); their residents are told."""
    for dup in Appeal.objects.select_for_update().filter(merged_into=master, status=S.MERGED):
        dup.reply, dup.replied_at = master.reply, now
        dup.save(update_fields=["reply", "replied_at", "updated_at"])
        record_event(
            dup,
            action=A.REPLY,
            actor=actor,
            from_status=S.MERGED,
            to_status=S.MERGED,
            note=master.reply,
            data={"from": master.pk},
            at=now,
        )
        _notify(dup, A.REPLY)


@transaction.atomic
def remind(appeal: Appeal, *, now=None) -> bool:
    """到期提醒 — tell the next actors a deadline is near (once per step); not a status change."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in OPEN_STATUSES or appeal.reminded_at is not None:
        return False
    now = now or timezone.now()
    Appeal.objects.filter(pk=appeal.pk).update(reminded_at=now)
    record_event(
        appeal,
        action=A.REMIND,
        actor=None,
        from_status=appeal.status,
        to_status=appeal.status,
        data={"due_at": appeal.due_at.isoformat() if appeal.due_at else None},
        at=now,
    )
    _notify(appeal, A.REMIND)
    return True
