"""志愿服务 · 时间银行 · 微心愿: every write, with an explicit actor. Coins move only through the ledger.

Status changes are checked against the small transition tables below; each service locks the row it
changes (``select_for_update``; on SQLite the IMMEDIATE transaction serialises writers) so two people
cannot claim one wish or confirm one record twice.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import Forbidden, InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.ledger.enums import AccountKind, AwardEvent, Currency, TxKind
from gongzhi.ledger.errors import IllegalState
from gongzhi.ledger.models import ProxyAuthorization
from gongzhi.ledger.services import checked, posting
from gongzhi.ledger.services.events import award_for_event, volunteer_hours_event
from gongzhi.party.models import InServiceRegistration, PartyMember

from .enums import (
    MAX_SERVICE_MINUTES,
    ActivityStatus,
    Funding,
    RecordStatus,
    RequestStatus,
    SignupStatus,
    WishStatus,
)
from .models import Activity, MicroWish, ServiceRecord, ServiceRequest, Signup, Team, Volunteer

CHECK_IN_EARLY = dt.timedelta(hours=1)  # check-in opens this long before the start


def _move(obj, allowed: dict, target) -> None:
    """Set ``obj.status`` to ``target`` if the move from its current status is allowed, else IllegalState."""
    if target not in allowed.get(obj.status, ()):
        raise IllegalState(_("This step is not possible now: the status is “%(status)s”.")
                           % {"status": obj.get_status_display()})
    obj.status = target


# --- teams and volunteers -------------------------------------------------------------------------------


@transaction.atomic
def create_team(*, community, actor, kind: str, name: str, description: str = "") -> Team:
    team = Team(community=community, kind=kind, name=name.strip(), description=description)
    checked(team).save()
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=team, scope_path=community.path)
    return team


@transaction.atomic
def register_volunteer(*, resident, actor, skills: str = "", teams=()) -> Volunteer:
    """志愿者注册 — idempotent: registering again reactivates and updates skills."""
    volunteer, created = Volunteer.objects.get_or_create(resident=resident, defaults={
        "community": resident.community, "path": resident.path, "skills": skills.strip(),
        "registered_on": timezone.localdate()})
    if not created:
        volunteer.is_active = True
        if skills:
            volunteer.skills = skills.strip()
        volunteer.save(update_fields=["is_active", "skills"])
    for team in teams:
        if team.community_id != resident.community_id:
            raise InvalidInput(_("The team belongs to another community."), field="teams")
        volunteer.teams.add(team)
    posting.resident_account(resident)
    if created:
        record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=volunteer)
    return volunteer


@transaction.atomic
def join_team(*, volunteer: Volunteer, team: Team, actor) -> Volunteer:
    if team.community_id != volunteer.community_id:
        raise InvalidInput(_("The team belongs to another community."), field="team")
    volunteer.teams.add(team)
    return volunteer


# --- activities -----------------------------------------------------------------------------------------


@transaction.atomic
def create_activity(*, community, actor, title: str, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int,
                    team: Team | None = None, description: str = "", location: str = "") -> Activity:
    if team is not None and team.community_id != community.pk:
        raise InvalidInput(_("The team belongs to another community."), field="team")
    if ends_at <= starts_at:
        raise InvalidInput(_("The end must be after the start."), field="ends_at")
    if ends_at - starts_at > dt.timedelta(minutes=MAX_SERVICE_MINUTES):
        raise InvalidInput(_("An activity lasts at most 12 hours."), field="ends_at")
    activity = Activity.objects.create(community=community, team=team, title=title.strip(), starts_at=starts_at,
                                       ends_at=ends_at, capacity=capacity, description=description,
                                       location=location, created_by=actor)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=activity, scope_path=community.path)
    return activity


@transaction.atomic
def sign_up(*, activity: Activity, volunteer: Volunteer, actor) -> Signup:
    activity = Activity.objects.select_for_update().get(pk=activity.pk)  # serialises the capacity check
    if activity.status != ActivityStatus.OPEN or activity.ends_at <= timezone.now():
        raise IllegalState(_("Sign-up for this activity is closed."))
    if not volunteer.is_active or volunteer.community_id != activity.community_id:
        raise InvalidInput(_("Only active volunteers of this community can sign up."), field="volunteer")
    existing = Signup.objects.filter(activity=activity, volunteer=volunteer).first()
    if existing is not None and existing.status != SignupStatus.CANCELLED:
        return existing
    taken = activity.signups.exclude(status=SignupStatus.CANCELLED).count()
    if taken >= activity.capacity:
        raise IllegalState(_("All places are taken."), code="full")
    if existing is not None:
        existing.status = SignupStatus.SIGNED_UP
        existing.save(update_fields=["status"])
        return existing
    return Signup.objects.create(activity=activity, volunteer=volunteer)


SIGNUP_MOVES = {
    SignupStatus.SIGNED_UP: {SignupStatus.CHECKED_IN, SignupStatus.CANCELLED},
    SignupStatus.CHECKED_IN: {SignupStatus.CHECKED_OUT},
    SignupStatus.CHECKED_OUT: {SignupStatus.CONFIRMED},
}


@transaction.atomic
def cancel_signup(*, signup: Signup, actor) -> Signup:
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    _move(signup, SIGNUP_MOVES, SignupStatus.CANCELLED)
    signup.save(update_fields=["status"])
    return signup


@transaction.atomic
def check_in(*, signup: Signup, actor, at: dt.datetime | None = None) -> Signup:
    signup = Signup.objects.select_for_update(of=("self",)).select_related("activity").get(pk=signup.pk)
    at = at or timezone.now()
    activity = signup.activity
    if not activity.starts_at - CHECK_IN_EARLY <= at <= activity.ends_at:
        raise InvalidInput(_("Check-in is open from an hour before the start until the end."), field="at")
    _move(signup, SIGNUP_MOVES, SignupStatus.CHECKED_IN)
    signup.checked_in_at = at
    signup.save(update_fields=["status", "checked_in_at"])
    return signup


@transaction.atomic
def check_out(*, signup: Signup, actor, at: dt.datetime | None = None) -> Signup:
    """签退 — the minutes attended (within the activity's hours) become a service record awaiting staff."""
    signup = (Signup.objects.select_for_update(of=("self",)).select_related("activity", "volunteer__resident")
              .get(pk=signup.pk))
    at = at or timezone.now()
    if signup.checked_in_at is None or at <= signup.checked_in_at:
        raise InvalidInput(_("Check-out must come after check-in."), field="at")
    _move(signup, SIGNUP_MOVES, SignupStatus.CHECKED_OUT)
    activity = signup.activity
    start, end = max(signup.checked_in_at, activity.starts_at), min(at, activity.ends_at)
    minutes = max(int((end - start).total_seconds() // 60), 0)
    signup.checked_out_at = at
    if minutes:
        issuance = posting.system_account(activity.community, AccountKind.ISSUANCE, Currency.TIME)
        signup.record = ServiceRecord.objects.create(
            community=activity.community, path=signup.volunteer.path, volunteer=signup.volunteer, payer=issuance,
            description=activity.title[:200], served_on=timezone.localtime(activity.starts_at).date(),
            minutes=min(minutes, MAX_SERVICE_MINUTES))
    signup.save(update_fields=["status", "checked_out_at", "record"])
    return signup


# --- service records: confirmation pays ---------------------------------------------------------------


@transaction.atomic
def confirm_record(*, record: ServiceRecord, actor, note: str = "") -> ServiceRecord:
    """确认时长 — pays the volunteer ``minutes`` time coins from the payer; once only."""
    record = (ServiceRecord.objects.select_for_update(of=("self",)).select_related("volunteer__resident", "payer")
              .get(pk=record.pk))
    if record.status != RecordStatus.PENDING:
        raise IllegalState(_("This record was already decided."))
    earner = posting.resident_account(record.volunteer.resident)
    record.payment = posting.post(community=record.community, kind=TxKind.SERVICE, actor=actor,
                                  memo=record.description[:200], idempotency_key=f"service-record:{record.pk}",
                                  legs=[(record.payer, -record.minutes), (earner, record.minutes)])
    record.status, record.decided_by, record.decided_at = RecordStatus.CONFIRMED, actor, timezone.now()
    record.note = note.strip()[:200]
    record.save(update_fields=["payment", "status", "decided_by", "decided_at", "note"])
    Signup.objects.filter(record=record).update(status=SignupStatus.CONFIRMED)
    ServiceRequest.objects.filter(record=record).update(status=RequestStatus.CONFIRMED, closed_at=timezone.now())
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=record,
                 data={"step": "confirm", "minutes": record.minutes})
    # 志愿服务积分: the household's points, if the community's list has an item for volunteer hours.
    award_for_event(kind=AwardEvent.VOLUNTEER_HOURS, source=f"service-record:{record.pk}",
                    **volunteer_hours_event(record), actor=None)
    return record


@transaction.atomic
def reject_record(*, record: ServiceRecord, actor, note: str) -> ServiceRecord:
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != RecordStatus.PENDING:
        raise IllegalState(_("This record was already decided."))
    if len(note.strip()) < 2:
        raise InvalidInput(_("Give the reason."), field="note")
    record.status, record.decided_by, record.decided_at, record.note = (
        RecordStatus.REJECTED, actor, timezone.now(), note.strip()[:200])
    record.save(update_fields=["status", "decided_by", "decided_at", "note"])
    ServiceRequest.objects.filter(record=record).update(status=RequestStatus.MATCHED, record=None)
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=record, data={"step": "reject"})
    return record


# --- service requests -----------------------------------------------------------------------------------

REQUEST_MOVES = {
    RequestStatus.OPEN: {RequestStatus.MATCHED, RequestStatus.CANCELLED},
    RequestStatus.MATCHED: {RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.OPEN},
}


@transaction.atomic
def request_service(*, requester, actor, category: str, description: str, funding: str = Funding.COMMUNITY,
                    wanted_at: dt.datetime | None = None) -> ServiceRequest:
    """求助 — ``requester`` is the resident to be served; ``actor`` may be them, a proxy, or staff."""
    if len(description.strip()) < 2:
        raise InvalidInput(_("Say what help is needed."), field="description")
    request = ServiceRequest.objects.create(community=requester.community, path=requester.path, requester=requester,
                                            requested_by=actor, category=category, description=description.strip(),
                                            funding=funding, wanted_at=wanted_at)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=request)
    return request


@transaction.atomic
def match_request(*, request: ServiceRequest, volunteer: Volunteer, actor) -> ServiceRequest:
    """派单/接单 — staff match a volunteer, or a volunteer takes an open request themselves."""
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    if not volunteer.is_active or volunteer.community_id != request.community_id:
        raise InvalidInput(_("Only active volunteers of this community can be matched."), field="volunteer")
    if volunteer.resident_id == request.requester_id:
        raise InvalidInput(_("A volunteer cannot serve themselves."), field="volunteer")
    _move(request, REQUEST_MOVES, RequestStatus.MATCHED)
    request.volunteer, request.matched_at = volunteer, timezone.now()
    request.save(update_fields=["status", "volunteer", "matched_at"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=request,
                 data={"step": "match", "volunteer": volunteer.pk})
    return request


@transaction.atomic
def complete_request(*, request: ServiceRequest, actor, minutes: int, note: str = "",
                     served_on: dt.date | None = None) -> ServiceRequest:
    """The volunteer reports the minutes; nothing is paid until the served party or staff confirms."""
    request = (ServiceRequest.objects.select_for_update(of=("self",)).select_related("volunteer", "requester")
               .get(pk=request.pk))
    if not 1 <= minutes <= MAX_SERVICE_MINUTES:
        raise InvalidInput(_("Minutes must be between 1 and 720."), field="minutes")
    _move(request, REQUEST_MOVES, RequestStatus.DONE)
    if request.funding == Funding.REQUESTER:
        payer = posting.resident_account(request.requester)
    else:
        payer = posting.system_account(request.community, AccountKind.ISSUANCE, Currency.TIME)
    request.record = ServiceRecord.objects.create(
        community=request.community, path=request.volunteer.path, volunteer=request.volunteer,
        served=request.requester, payer=payer, minutes=minutes, served_on=served_on or timezone.localdate(),
        description=f"{request.get_category_display()}：{note or request.description}"[:200])
    request.save(update_fields=["status", "record"])
    return request


@transaction.atomic
def cancel_request(*, request: ServiceRequest, actor) -> ServiceRequest:
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    _move(request, REQUEST_MOVES, RequestStatus.CANCELLED)
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    return request


# --- family transfers -----------------------------------------------------------------------------------


def are_family(a, b) -> bool:
    """Same household, or one holds an active proxy for the other."""
    if a.household_id == b.household_id:
        return True
    return ProxyAuthorization.objects.active().filter(
        Q(principal=a, agent=b) | Q(principal=b, agent=a)).exists()


def transfer_time(*, sender, recipient, actor, minutes: int, memo: str = "", idempotency_key: str = ""):
    """亲情转赠 — give time coins to a family member (same household, or linked by a proxy)."""
    if sender.pk == recipient.pk:
        raise InvalidInput(_("Choose someone else."), field="to_resident")
    if not are_family(sender, recipient):
        raise Forbidden(_("Time coins can be given only within the family (same household or a recorded proxy)."))
    if type(minutes) is not int or minutes <= 0:
        raise InvalidInput(_("The amount must be a positive number of minutes."), field="minutes")
    source, target = posting.resident_account(sender), posting.resident_account(recipient)
    return posting.post(community=sender.community, kind=TxKind.TRANSFER, actor=actor,
                        memo=(memo.strip() or _("Family transfer"))[:200], idempotency_key=idempotency_key,
                        legs=[(source, -minutes), (target, minutes)])


# --- micro-wishes ---------------------------------------------------------------------------------------

WISH_MOVES = {
    WishStatus.OPEN: {WishStatus.CLAIMED, WishStatus.CANCELLED},
    WishStatus.CLAIMED: {WishStatus.FULFILLED, WishStatus.OPEN, WishStatus.CANCELLED},
    WishStatus.FULFILLED: {WishStatus.CONFIRMED},
}


def party_member_name(user, community) -> str | None:
    """The name under which ``user`` may claim wishes: a party member, or an in-service party member who
    registered with ``community`` (在职党员报到). None if neither."""
    if not user.is_authenticated or not user.resident_id:
        return None
    member = PartyMember.objects.filter(resident_id=user.resident_id).first()
    if member is not None:
        return member.name
    registration = InServiceRegistration.objects.filter(resident_id=user.resident_id, community=community,
                                                        ended_on__isnull=True).first()
    return registration.name if registration else None


@transaction.atomic
def post_wish(*, beneficiary, actor, title: str, description: str = "", category: str = "goods") -> MicroWish:
    if len(title.strip()) < 2:
        raise InvalidInput(_("Say what the wish is."), field="title")
    wish = MicroWish.objects.create(community=beneficiary.community, path=beneficiary.path, beneficiary=beneficiary,
                                    posted_by=actor, title=title.strip(), description=description.strip(),
                                    category=category)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=wish)
    return wish


@transaction.atomic
def claim_wish(*, wish: MicroWish, actor) -> MicroWish:
    """党员认领 — first come, first served; a second claim finds it taken."""
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    name = party_member_name(actor, wish.community)
    if name is None:
        raise Forbidden(_("Only party members can claim micro-wishes."))
    if wish.beneficiary_id == actor.resident_id:
        raise InvalidInput(_("You cannot claim your own wish."), field="wish")
    if wish.status != WishStatus.OPEN:
        raise IllegalState(_("This wish has already been claimed."), code="taken")
    _move(wish, WISH_MOVES, WishStatus.CLAIMED)
    wish.claimed_by, wish.claimer_name, wish.claimed_at = actor, name, timezone.now()
    wish.save(update_fields=["status", "claimed_by", "claimer_name", "claimed_at"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=wish, data={"step": "claim"})
    return wish


@transaction.atomic
def release_wish(*, wish: MicroWish, actor) -> MicroWish:
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    _move(wish, WISH_MOVES, WishStatus.OPEN)
    wish.claimed_by, wish.claimer_name, wish.claimed_at = None, "", None
    wish.save(update_fields=["status", "claimed_by", "claimer_name", "claimed_at"])
    return wish


@transaction.atomic
def fulfil_wish(*, wish: MicroWish, actor, note: str) -> MicroWish:
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    if len(note.strip()) < 2:
        raise InvalidInput(_("Say how the wish was fulfilled."), field="note")
    _move(wish, WISH_MOVES, WishStatus.FULFILLED)
    wish.fulfilled_at, wish.fulfilment_note = timezone.now(), note.strip()[:200]
    wish.save(update_fields=["status", "fulfilled_at", "fulfilment_note"])
    return wish


@transaction.atomic
def confirm_wish(*, wish: MicroWish, actor) -> MicroWish:
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    _move(wish, WISH_MOVES, WishStatus.CONFIRMED)
    wish.confirmed_at, wish.confirmed_by = timezone.now(), actor
    wish.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=wish, data={"step": "confirm"})
    return wish


@transaction.atomic
def cancel_wish(*, wish: MicroWish, actor) -> MicroWish:
    wish = MicroWish.objects.select_for_update().get(pk=wish.pk)
    _move(wish, WISH_MOVES, WishStatus.CANCELLED)
    wish.cancelled_at = timezone.now()
    wish.save(update_fields=["status", "cancelled_at"])
    return wish
