"""议事会议: talk days and deliberation meetings — agenda, invitations, sign-in, procedure, minutes."""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.accounts.models import Department
from gongzhi.core.errors import InvalidInput
from gongzhi.registry.models import Place, Resident, ResidentUnit

from .. import procedures
from ..enums import SUPPORTABLE_STATUSES, InvitationKind, MeetingKind, MeetingStatus
from ..errors import AlreadyDone, IllegalTransition
from ..models import AgendaItem, Attendance, Invitation, Meeting, ProcedureStep, ProcedureTemplate, Proposal
from ..selectors import proposal_list
from ._common import (
    audit,
    create_once,
    require_active_resident,
    require_community,
    require_in_community,
    require_text,
)
from .proposals import policy_of

TALK_DAY_HOUR = 9
MAX_STEPS = 30


def procedure_steps(community: Place, key: str) -> list[tuple[str, str]]:
    """(key, title) of a shipped template or the community's own one."""
    if key in procedures.TEMPLATES:
        return [(k, str(title)) for k, title in procedures.TEMPLATES[key][1]]
    template = ProcedureTemplate.objects.filter(community=community, key=key).first()
    if template is None:
        raise InvalidInput(_("Unknown procedure."), field="procedure")
    return [(f"step_{i}", title) for i, title in enumerate(template.steps, start=1)]


def _clean_step_titles(steps: list[str], field: str = "steps") -> list[str]:
    titles = [(s or "").strip() for s in steps or []]
    if not titles or any(not t for t in titles) or len(titles) > MAX_STEPS:
        raise InvalidInput(_("List between 1 and 30 steps, none empty."), field=field)
    if any(len(t) > 100 for t in titles):
        raise InvalidInput(_("A step title has at most 100 characters."), field=field)
    return titles


@transaction.atomic
def save_procedure_template(
    *, actor, community: Place, key: str, name: str, steps: list[str]
) -> ProcedureTemplate:
    """A community's own procedure (e.g. the six steps of its deliberation hall)."""
    require_community(community)
    if key in procedures.TEMPLATES:
        raise InvalidInput(_("This key belongs to a shipped procedure."), field="key")
    template, _created = ProcedureTemplate.objects.update_or_create(
        community=community,
        key=key,
        defaults={"name": require_text(name, "name"), "steps": _clean_step_titles(steps)},
    )
    template.full_clean()
    audit(actor, community, "save_procedure_template", key=key)
    return template


@transaction.atomic
def create_meeting(
    *,
    actor,
    community: Place,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    location: str = "",
    procedure: str | None = None,
    steps: list[str] | None = None,
) -> Meeting:
    """A meeting with its procedure: a template (``procedure``), custom ``steps``, or none.

    Without either, a deliberation meeting gets the shipped community procedure and a talk day none.
    """
    require_community(community)
    if procedure and steps:
        raise InvalidInput(_("Give a procedure or a list of steps, not both."), field="steps")
    if steps:
        step_rows, procedure = (
            [(f"step_{i}", t) for i, t in enumerate(_clean_step_titles(steps), 1)],
            "custom",
        )
    else:
        if procedure is None:
            procedure = "" if kind == MeetingKind.TALK_DAY else procedures.COMMUNITY_DELIBERATION
        step_rows = procedure_steps(community, procedure) if procedure else []
    meeting = Meeting(
        community=community,
        path=community.path,
        kind=kind,
        title=require_text(title, "title"),
        starts_at=starts_at,
        location=(location or "").strip(),
        procedure=procedure or "",
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    ProcedureStep.objects.bulk_create(
        ProcedureStep(meeting=meeting, order=i, key=key, title=t) for i, (key, t) in enumerate(step_rows, 1)
    )
    audit(actor, meeting, "create_meeting", kind=kind)
    return meeting


def talk_day_of(community: Place, month: dt.date) -> dt.date:
    return month.replace(day=policy_of(community).talk_day)


@transaction.atomic
def schedule_talk_day(*, actor, community: Place, month: dt.date, location: str = "") -> Meeting:
    """The month's residents' talk day (居民恳谈日), on the policy's day (the 10th by default)."""
    require_community(community)
    day = talk_day_of(community, month)
    first = day.replace(day=1)
    next_first = (first + dt.timedelta(days=32)).replace(day=1)
    if Meeting.objects.filter(
        community=community,
        kind=MeetingKind.TALK_DAY,
        starts_at__date__gte=first,
        starts_at__date__lt=next_first,
    ).exists():
        raise AlreadyDone(_("This month's talk day is already scheduled."))
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(TALK_DAY_HOUR)))
    title = _("Residents' talk day, %(year)d-%(month)02d") % {"year": day.year, "month": day.month}
    return create_meeting(
        actor=actor,
        community=community,
        kind=MeetingKind.TALK_DAY,
        title=title,
        starts_at=starts_at,
        location=location,
    )


def _require_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise IllegalTransition(_("The meeting is closed."))


@transaction.atomic
def add_agenda_item(
    *,
    actor,
    meeting: Meeting,
    title: str = "",
    proposal: Proposal | None = None,
    source_type: str = "",
    source_id: str = "",
) -> AgendaItem:
    """An agenda item from a proposal, from another record (``source_type``/``source_id``) or free."""
    _require_open(meeting)
    if proposal is not None:
        require_in_community(proposal, meeting.community, "proposal")
        if proposal.status not in SUPPORTABLE_STATUSES:
            raise InvalidInput(_("Only open proposals can be put on the agenda."), field="proposal")
        if source_type or source_id:
            raise InvalidInput(
                _("An item comes from a proposal or from another record, not both."), field="source_type"
            )
        title = title or proposal.title
    if bool(source_type) != bool(source_id):
        raise InvalidInput(_("Give both the kind and the number of the source record."), field="source_id")
    order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
    return create_once(
        AgendaItem,
        AlreadyDone(_("The proposal is already on the agenda.")),
        meeting=meeting,
        order=order,
        title=require_text(title, "title")[:120],
        proposal=proposal,
        source_type=source_type,
        source_id=str(source_id),
    )


@transaction.atomic
def add_top_proposals(*, actor, meeting: Meeting, period: dt.date, limit: int = 3) -> list[AgendaItem]:
    """Put the period's most supported open proposals on the agenda (those not on it yet)."""
    on_agenda = set(meeting.agenda.exclude(proposal=None).values_list("proposal_id", flat=True))
    ranked = (
        proposal_list(actor, community_id=meeting.community_id, period=period, ranked=True)
        .filter(status__in=SUPPORTABLE_STATUSES)
        .exclude(pk__in=on_agenda)[:limit]
    )
    return [add_agenda_item(actor=actor, meeting=meeting, proposal=p) for p in ranked]


@transaction.atomic
def set_agenda_outcome(*, actor, item: AgendaItem, outcome: str) -> AgendaItem:
    item.outcome = (outcome or "").strip()
    item.save(update_fields=["outcome"])
    return item


@transaction.atomic
def invite(
    *,
    actor,
    meeting: Meeting,
    kind: str,
    department: Department | None = None,
    resident_unit: ResidentUnit | None = None,
    resident: Resident | None = None,
    name: str = "",
    note: str = "",
) -> Invitation:
    """Invite a department, one of "two representatives and one member", a resident unit or a resident."""
    _require_open(meeting)
    community = meeting.community
    if kind == InvitationKind.DEPARTMENT:
        if department is None or not community.path.startswith(department.place.path):
            raise InvalidInput(_("Choose a department serving this community."), field="department")
        name = name or str(department)
    elif department is not None:
        raise InvalidInput(_("Only a department invitation names a department."), field="department")
    if kind == InvitationKind.RESIDENT_UNIT:
        if resident_unit is None or resident_unit.community_id != community.pk:
            raise InvalidInput(_("Choose a unit of this community."), field="resident_unit")
        name = name or resident_unit.name
    elif resident_unit is not None:
        raise InvalidInput(_("Only a resident-unit invitation names a unit."), field="resident_unit")
    if resident is not None:
        require_active_resident(resident, community)
        name = name or resident.name
    name = require_text(name, "name", message=_("Name the person or body invited."))
    return create_once(
        Invitation,
        AlreadyDone(_("Already invited.")),
        meeting=meeting,
        kind=kind,
        department=department,
        resident_unit=resident_unit,
        resident=resident,
        name=name[:100],
        note=(note or "").strip()[:200],
    )


def sign_in(
    *, actor, meeting: Meeting, resident: Resident | None = None, invitation: Invitation | None = None
) -> Attendance:
    """签到: a resident of the community, or an invited party."""
    _require_open(meeting)
    if (resident is None) == (invitation is None):
        raise InvalidInput(_("Sign in either a resident or an invited party."), field="resident")
    if resident is not None:
        require_active_resident(resident, meeting.community)
        name = resident.name
    else:
        if invitation.meeting_id != meeting.pk:
            raise InvalidInput(_("This invitation is for another meeting."), field="invitation")
        name = invitation.name
    return create_once(
        Attendance,
        AlreadyDone(_("Already signed in.")),
        meeting=meeting,
        resident=resident,
        invitation=invitation,
        name=name[:50],
        signed_in_at=timezone.now(),
        recorded_by=actor,
    )


@transaction.atomic
def start_meeting(*, actor, meeting: Meeting) -> Meeting:
    if meeting.status != MeetingStatus.PLANNED:
        raise IllegalTransition()
    meeting.status, meeting.started_at = MeetingStatus.IN_PROGRESS, timezone.now()
    meeting.save(update_fields=["status", "started_at"])
    return meeting


@transaction.atomic
def record_minutes(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    _require_open(meeting)
    meeting.minutes = require_text(minutes, "minutes")
    meeting.minutes_recorded_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_recorded_at"])
    return meeting


@transaction.atomic
def close_meeting(*, actor, meeting: Meeting) -> Meeting:
    _require_open(meeting)
    if not meeting.minutes.strip():
        raise InvalidInput(_("Record the minutes before closing the meeting."), field="minutes")
    now = timezone.now()
    meeting.status, meeting.closed_at = MeetingStatus.CLOSED, now
    meeting.started_at = meeting.started_at or now
    meeting.save(update_fields=["status", "closed_at", "started_at"])
    audit(actor, meeting, "close_meeting")
    return meeting


@transaction.atomic
def complete_step(*, actor, step: ProcedureStep, note: str = "") -> ProcedureStep:
    """Mark a procedure step done, now. Steps are done in order; a done step stays done."""
    step = ProcedureStep.objects.select_for_update().get(pk=step.pk)
    if step.done_at is not None:
        raise AlreadyDone(_("This step is already done."))
    if ProcedureStep.objects.filter(meeting_id=step.meeting_id, order__lt=step.order, done_at=None).exists():
        raise IllegalTransition(_("Finish the earlier steps first."))
    step.done_at, step.done_by, step.note = timezone.now(), actor, (note or "").strip()
    step.save(update_fields=["done_at", "done_by", "note"])
    return step
