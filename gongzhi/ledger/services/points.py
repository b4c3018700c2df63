"""积分: behaviour lists (drafted, published, versioned), awards and deductions, contests of deductions."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent

from ..enums import (
    CONTEST_WINDOW_DAYS,
    AccountKind,
    AwardStatus,
    CapPeriod,
    Currency,
    ListStatus,
    Polarity,
    TxKind,
)
from ..errors import IllegalState
from ..models import Account, BehaviorItem, BehaviorList, PointsAward
from . import checked, posting

ITEM_FIELDS = ("code", "polarity", "category", "name", "points", "evidence_required", "cap_points", "cap_period",
               "sort", "event")
MAX_BACKDATE_DAYS = 366


# --- the list -------------------------------------------------------------------------------------------


def published_list(community) -> BehaviorList | None:
    return BehaviorList.objects.filter(community=community, status=ListStatus.PUBLISHED).first()


@transaction.atomic
def create_draft(*, community, actor, title: str = "", note: str = "") -> BehaviorList:
    """Start the next version: a draft holding a copy of the published list's items (or none)."""
    if BehaviorList.objects.filter(community=community, status=ListStatus.DRAFT).exists():
        raise IllegalState(_("This community already has a draft list; edit or publish it."))
    current = published_list(community)
    last = BehaviorList.objects.filter(community=community).order_by("-version").values_list("version", flat=True)
    draft = BehaviorList.objects.create(
        community=community, version=(last.first() or 0) + 1, created_by=actor,
        title=title or (current.title if current else _("Positive and negative behaviour list")), note=note,
    )
    if current is not None:
        BehaviorItem.objects.bulk_create(
            BehaviorItem(behavior_list=draft, **{f: getattr(i, f) for f in ITEM_FIELDS}) for i in current.items.all()
        )
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=draft, scope_path=community.path)
    return draft


def _require_draft(behavior_list: BehaviorList) -> None:
    if behavior_list.status != ListStatus.DRAFT:
        raise IllegalState(_("Only a draft list can be changed; start a new draft."))


def _clean_item(item: BehaviorItem) -> BehaviorItem:
    if (item.cap_points is None) != (not item.cap_period):
        raise InvalidInput(_("Give both the cap and its period, or neither."), field="cap_points")
    if item.event and item.polarity != Polarity.POSITIVE:
        raise InvalidInput(_("Only a positive behaviour can be awarded automatically."), field="event")
    if item.event and item.behavior_list.items.filter(event=item.event).exclude(pk=item.pk).exists():
        raise InvalidInput(_("Another item of this list is already awarded for this event."), field="event")
    return checked(item, exclude=["behavior_list"], validate_constraints=False)


@transaction.atomic
def add_item(*, behavior_list: BehaviorList, actor, **fields) -> BehaviorItem:
    _require_draft(behavior_list)
    if behavior_list.items.filter(code=fields.get("code")).exists():
        raise InvalidInput(_("This code is already on the list."), field="code")
    item = _clean_item(BehaviorItem(behavior_list=behavior_list, **{k: v for k, v in fields.items()
                                                                      if k in ITEM_FIELDS}))
    item.save()
    return item


@transaction.atomic
def change_item(*, item: BehaviorItem, actor, **fields) -> BehaviorItem:
    _require_draft(item.behavior_list)
    for name, value in fields.items():
        if name in ITEM_FIELDS and name != "code":
            setattr(item, name, value)
    _clean_item(item).save()
    return item


@transaction.atomic
def remove_item(*, item: BehaviorItem, actor) -> None:
    _require_draft(item.behavior_list)
    item.delete()


@transaction.atomic
def publish_list(*, behavior_list: BehaviorList, actor) -> BehaviorList:
    """Publish a draft: it becomes the list awards are made under; the previous version is superseded."""
    behavior_list = BehaviorList.objects.select_for_update().get(pk=behavior_list.pk)
    _require_draft(behavior_list)
    if not behavior_list.items.exists():
        raise InvalidInput(_("An empty list cannot be published."), field="items")
    BehaviorList.objects.filter(community_id=behavior_list.community_id, status=ListStatus.PUBLISHED).update(
        status=ListStatus.SUPERSEDED)
    behavior_list.status, behavior_list.published_at, behavior_list.published_by = (
        ListStatus.PUBLISHED, timezone.now(), actor)
    behavior_list.save(update_fields=["status", "published_at", "published_by"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=behavior_list, data={"step": "publish"},
                 scope_path=behavior_list.community.path)
    return behavior_list


# --- awards and deductions ------------------------------------------------------------------------------


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the week (Monday first), month, quarter or year containing ``day``."""
    if period == CapPeriod.WEEK:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if period == CapPeriod.YEAR:
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    months = 3 if period == CapPeriod.QUARTER else 1
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + months
    end = dt.date(day.year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


COUNTED = [AwardStatus.POSTED, AwardStatus.CONTESTED, AwardStatus.DISMISSED]  # not reversed


def cap_room(item: BehaviorItem, household, day: dt.date) -> int | None:
    """Points the household may still get for the item in the cap period containing ``day`` (None: no cap)."""
    if item.cap_points is None:
        return None
    start, end = period_bounds(item.cap_period, day)
    used = (PointsAward.objects.filter(household=household, item_code=item.code, polarity=item.polarity,
                                       occurred_on__range=(start, end), status__in=COUNTED)
            .aggregate(n=Sum("points"))["n"] or 0)
    return max(item.cap_points - used, 0)


def _check_cap(item: BehaviorItem, household, day: dt.date) -> None:
    room = cap_room(item, household, day)
    if room is None:
        return
    used = item.cap_points - room
    if used + item.points > item.cap_points:
        raise InvalidInput(
            _("The cap for this item is %(cap)s points %(period)s; this household already has %(used)s.")
            % {"cap": item.cap_points, "period": CapPeriod(item.cap_period).label, "used": used},
            field="item", code="cap_reached",
        )


def award_points(*, household, item: BehaviorItem, actor, evidence: str = "", occurred_on: dt.date | None = None,
                 note: str = "", request_key: str = "") -> PointsAward:
    """Award (正面) or deduct (负面) the item's points for a household, under the published list.

    A deduction never takes the household below zero: ``points_posted`` is what its balance allowed.
    The same ``request_key`` returns the award already made.
    """
    if request_key:
        existing = PointsAward.objects.filter(request_key=request_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _award(household=household, item=item, actor=actor, evidence=evidence.strip(),
                          occurred_on=occurred_on or timezone.localdate(), note=note, request_key=request_key or None)
    except IntegrityError:
        existing = PointsAward.objects.filter(request_key=request_key).first() if request_key else None
        if existing is None:
            raise
        return existing


def _award(*, household, item, actor, evidence, occurred_on, note, request_key,
           automatic_points: int | None = None) -> PointsAward | None:
    """``automatic_points``: an award for an event (services/events.py) of up to that many points, cut to
    what the cap leaves; None is returned when the cap leaves nothing. Otherwise the item's points or a refusal."""
    community = household.community
    current = published_list(community)
    if current is None or item.behavior_list_id != current.pk:
        raise InvalidInput(_("This item is not on the community's published list."), field="item")
    if item.evidence_required and not evidence:
        raise InvalidInput(_("This item requires evidence."), field="evidence")
    today = timezone.localdate()
    if occurred_on > today or (today - occurred_on).days > MAX_BACKDATE_DAYS:
        raise InvalidInput(_("The date must be within the last year and not in the future."), field="occurred_on")
    account = posting.household_account(household)
    account = Account.objects.select_for_update().get(pk=account.pk)  # serialises caps per household
    amount = item.points
    if automatic_points is None:
        _check_cap(item, household, occurred_on)
    else:
        room = cap_room(item, household, occurred_on)
        amount = automatic_points if room is None else min(automatic_points, room)
        if amount <= 0:
            return None
    award = PointsAward(community=community, household=household, path=household.path, item=item,
                        item_code=item.code, polarity=item.polarity, points=amount, evidence=evidence,
                        occurred_on=occurred_on, note=note, actor=actor, request_key=request_key)
    memo = f"{item.code} {item.name}"[:200]
    if item.polarity == Polarity.POSITIVE:
        issuance = posting.system_account(community, AccountKind.ISSUANCE, Currency.POINTS)
        award.transaction = posting.post(community=community, kind=TxKind.AWARD, actor=actor, memo=memo,
                                         idempotency_key=request_key if automatic_points is not None else "",
                                         legs=[(issuance, -amount), (account, amount)])
        award.points_posted = amount
    else:
        award.points_posted = min(item.points, max(account.balance, 0))
        if award.points_posted:
            sink = posting.system_account(community, AccountKind.SINK, Currency.POINTS)
            award.transaction = posting.post(community=community, kind=TxKind.DEDUCTION, actor=actor, memo=memo,
                                             legs=[(account, -award.points_posted), (sink, award.points_posted)])
    award.save()
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=award,
                 data={"item": item.code, "points": award.signed_points, "posted": award.points_posted})
    return award


@transaction.atomic
def contest_deduction(*, award: PointsAward, actor, reason: str) -> PointsAward:
    """申诉 — the household asks staff to look again at a deduction, within the contest window."""
    award = PointsAward.objects.select_for_update().get(pk=award.pk)
    if award.polarity != Polarity.NEGATIVE or award.status != AwardStatus.POSTED:
        raise IllegalState(_("Only a posted deduction can be contested, once."))
    if (timezone.now() - award.created_at).days > CONTEST_WINDOW_DAYS:
        raise IllegalState(_("The %(days)s days for contesting this deduction have passed.")
                           % {"days": CONTEST_WINDOW_DAYS})
    reason = reason.strip()
    if len(reason) < 2:
        raise InvalidInput(_("Say why the deduction is wrong."), field="reason")
    award.status, award.contest_reason, award.contested_at, award.contested_by = (
        AwardStatus.CONTESTED, reason, timezone.now(), actor)
    award.save(update_fields=["status", "contest_reason", "contested_at", "contested_by"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=award, data={"step": "contest"})
    return award


@transaction.atomic
def decide_contest(*, award: PointsAward, actor, uphold: bool, note: str) -> PointsAward:
    """Staff decide a contest: upheld → the deduction is reversed in the ledger; dismissed → it stands."""
    award = PointsAward.objects.select_for_update().get(pk=award.pk)
    if award.status != AwardStatus.CONTESTED:
        raise IllegalState(_("This deduction is not being contested."))
    if len(note.strip()) < 2:
        raise InvalidInput(_("Give the reason for the decision."), field="note")
    if uphold and award.transaction_id:
        award.reversal = posting.reverse(original=award.transaction, actor=actor,
                                         memo=_("Contest upheld: %(code)s") % {"code": award.item_code})
    award.status = AwardStatus.UPHELD if uphold else AwardStatus.DISMISSED
    award.decided_at, award.decided_by, award.decision_note = timezone.now(), actor, note.strip()
    award.save(update_fields=["status", "reversal", "decided_at", "decided_by", "decision_note"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=award,
                 data={"step": "uphold" if uphold else "dismiss"})
    return award


@transaction.atomic
def reverse_award(*, award: PointsAward, actor, reason: str) -> PointsAward:
    """Staff correct a mistaken award or deduction: the ledger transaction is reversed (冲正)."""
    award = PointsAward.objects.select_for_update().get(pk=award.pk)
    if award.status not in (AwardStatus.POSTED, AwardStatus.DISMISSED):
        raise IllegalState(_("This record cannot be reversed in its current state."))
    if len(reason.strip()) < 2:
        raise InvalidInput(_("Give the reason for the reversal."), field="reason")
    if award.transaction_id:
        award.reversal = posting.reverse(original=award.transaction, actor=actor, memo=reason.strip()[:200])
    award.status, award.decided_at, award.decided_by, award.decision_note = (
        AwardStatus.REVERSED, timezone.now(), actor, reason.strip())
    award.save(update_fields=["status", "reversal", "decided_at", "decided_by", "decision_note"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=award, data={"step": "reverse"})
    return award
