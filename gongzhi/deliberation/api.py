"""议事协商 API under /api/v1/deliberation/. Every handler: parse → access → require → service → schema."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from gongzhi.accounts.models import Department
from gongzhi.core.api import MappedPage, Page
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.core.masking import mask_name
from gongzhi.core.permissions import require
from gongzhi.party.models import PartyOrganization
from gongzhi.registry import selectors as registry_selectors
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident, ResidentUnit

from . import procedures, selectors, workdays, workflow
from .enums import BallotStatus, ProposalSource
from .models import (
    AgendaItem,
    Ballot,
    CharterVersion,
    Invitation,
    Meeting,
    Milestone,
    ProcedureStep,
    ProcedureTemplate,
    Project,
    ProjectFollow,
    ProjectRating,
    Proposal,
    Publicity,
    Support,
)
from .schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AnswerIn,
    AttendanceOut,
    AwardIn,
    BallotIn,
    BallotOut,
    CharterIn,
    CharterOut,
    DecideIn,
    FileIn,
    InvitationIn,
    InvitationOut,
    MeetingIn,
    MeetingListOut,
    MeetingOut,
    MilestoneIn,
    MilestoneOut,
    MinutesIn,
    MyVoteOut,
    NamedVoteOut,
    ObjectionIn,
    OutcomeIn,
    PolicyIn,
    PolicyOut,
    ProjectDetailOut,
    ProjectOut,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    PublicityIn,
    PublicityOut,
    PublicProjectOut,
    PublicPublicityOut,
    RatingIn,
    RecordVoteIn,
    ReviewIn,
    SignInIn,
    StepDoneIn,
    StepOut,
    SupportIn,
    SupportOut,
    TalkDayIn,
    TemplateIn,
    TemplateOut,
    TopProposalsIn,
    UpdateIn,
    UpdateOut,
    VersionIn,
    VersionOut,
    VoteIn,
)
from .services import ballots as ballot_services
from .services import charters as charter_services
from .services import meetings as meeting_services
from .services import projects as project_services
from .services import proposals as proposal_services
from .services import publicity as publicity_services
from .tally import Threshold

router = Router(tags=["deliberation"])


# Helpers -------------------------------------------------------------------------------------------


def _month(value: str | None, field: str = "period") -> dt.date | None:
    if not value:
        return None
    try:
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise InvalidInput(_("Give the month as YYYY-MM."), field=field) from None


def _ref(model, pk: int | None, field: str, qs=None):
    """A row named in a request body; a wrong id is a 422 on that field."""
    if pk is None:
        return None
    try:
        return (qs if qs is not None else model.objects).get(pk=pk)
    except model.DoesNotExist:
        raise InvalidInput(_("No such record."), field=field) from None


def _community(user, community_id: int | None) -> Place:
    """The community named in a body (communities are public; rules say what one may do there).

    Residents default to their own.
    """
    if community_id is None:
        resident = selectors.resident_of(user)
        if resident is None:
            raise InvalidInput(_("Choose a community."), field="community_id")
        return resident.community
    return _ref(Place, community_id, "community_id", Place.objects.filter(kind=PlaceKind.COMMUNITY))


def _resident_in_scope(user, resident_id: int | None, field: str = "resident_id") -> Resident | None:
    if resident_id is None:
        return None
    return _ref(Resident, resident_id, field, registry_selectors.residents_visible_to(user))


def _me(user) -> Resident:
    resident = selectors.resident_of(user)
    if resident is None:
        raise InvalidInput(_("Only a registered resident can do this."), field="resident")
    return resident


# Policy and procedure templates --------------------------------------------------------------------


@router.get("/policies/{community_id}", response=PolicyOut)
def get_policy(request, community_id: int):
    community = _community(request.user, community_id)
    policy = proposal_services.policy_of(community)
    return {
        "community_id": community.pk,
        "support_unit": policy.support_unit,
        "talk_day": policy.talk_day,
        "publicity_working_days": policy.publicity_working_days,
    }


@router.put("/policies/{community_id}", response=PolicyOut)
def put_policy(request, community_id: int, payload: PolicyIn):
    community = _community(request.user, community_id)
    require(request.user, "deliberation.add_meeting", community)
    policy = proposal_services.set_policy(actor=request.user, community=community, **payload.dict())
    return {
        "community_id": community.pk,
        "support_unit": policy.support_unit,
        "talk_day": policy.talk_day,
        "publicity_working_days": policy.publicity_working_days,
    }


@router.get("/procedures", response=list[TemplateOut])
def list_procedures(request, community: int | None = None):
    rows = [
        {"key": k, "name": str(name), "steps": [str(t) for _k, t in steps], "shipped": True}
        for k, (name, steps) in procedures.TEMPLATES.items()
    ]
    if community is not None:
        place = _community(request.user, community)
        rows += [
            {"key": t.key, "name": t.name, "steps": t.steps, "shipped": False}
            for t in ProcedureTemplate.objects.filter(community=place).order_by("key")
        ]
    return rows


@router.post("/procedures", response={201: TemplateOut})
def save_procedure(request, payload: TemplateIn):
    community = _community(request.user, payload.community_id)
    require(request.user, "deliberation.add_meeting", community)
    t = meeting_services.save_procedure_template(
        actor=request.user, community=community, key=payload.key, name=payload.name, steps=payload.steps
    )
    return Status(201, {"key": t.key, "name": t.name, "steps": t.steps, "shipped": False})


# Proposals -----------------------------------------------------------------------------------------


def proposal_out(user, p: Proposal) -> dict:
    me = selectors.resident_of(user)
    staff = selectors.is_staff_viewer(user, p) or (me is not None and me.pk == p.author_id)
    author = p.author.name if p.author_id else ""
    return {
        "id": p.pk,
        "community_id": p.community_id,
        "place_id": p.place_id,
        "place_name": p.place.name if p.place_id else "",
        "title": p.title,
        "problem": p.problem,
        "solution": p.solution,
        "category": p.category,
        "source": p.source,
        "source_note": p.source_note,
        "source_type": p.source_type,
        "source_id": p.source_id,
        "author_name": author if staff else mask_name(author),
        "period": p.period.strftime("%Y-%m"),
        "status": p.status,
        "support_unit": p.support_unit,
        "support_count": getattr(p, "support_count", 0),
        "supported": getattr(p, "supported", None),
        "answer": p.answer,
        "answered_at": p.answered_at,
        "merged_into_id": p.merged_into_id,
        "created_at": p.created_at,
    }


def proposal_detail(user, p: Proposal) -> dict:
    actions = [a for a in workflow.available_actions(p) if a in workflow.REVIEW_ACTIONS]
    if not user.has_perm("deliberation.review_proposal", p):
        actions = []
    events = [
        {
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "note": e.note,
            "created_at": e.created_at,
        }
        for e in p.events.all()
    ]
    return {**proposal_out(user, p), "events": events, "available_actions": actions}


@router.get("/proposals", response=list[ProposalOut], summary="Proposals; ranked=true orders by support")
@paginate(Page)
def list_proposals(
    request,
    community: int | None = None,
    period: str | None = None,
    status: str = "",
    category: str = "",
    ranked: bool = False,
):
    qs = selectors.proposal_list(
        request.user,
        community_id=community,
        period=_month(period),
        status=status[:14],
        category=category[:16],
        ranked=ranked,
    )
    return MappedPage(qs, lambda p: proposal_out(request.user, p))


@router.post("/proposals", response={201: ProposalDetailOut})
def create_proposal(request, payload: ProposalIn):
    user = request.user
    community = _community(user, payload.community_id)
    place = _ref(Place, payload.place_id, "place_id", registry_selectors.places_visible_to(user))
    if payload.source == ProposalSource.ONLINE:
        require(user, "deliberation.add_proposal", community)
        author = _me(user)
        if payload.source_type or payload.source_id:
            raise InvalidInput(_("Only staff link a proposal to another record."), field="source_type")
        if payload.author_id not in (None, author.pk):
            raise InvalidInput(_("You propose in your own name."), field="author_id")
    else:
        require(user, "deliberation.enter_proposal", place or community)
        author = _resident_in_scope(user, payload.author_id, "author_id")
    proposal = proposal_services.submit_proposal(
        actor=user,
        community=community,
        title=payload.title,
        problem=payload.problem,
        solution=payload.solution,
        category=payload.category,
        place=place,
        author=author,
        source=payload.source,
        source_note=payload.source_note,
        received_on=payload.received_on,
        source_type=payload.source_type,
        source_id=payload.source_id,
    )
    return Status(201, proposal_detail(user, selectors.access_proposal(user, proposal.pk)))


@router.get("/proposals/{proposal_id}", response=ProposalDetailOut)
def get_proposal(request, proposal_id: int):
    return proposal_detail(request.user, selectors.access_proposal(request.user, proposal_id))


@router.post("/proposals/{proposal_id}/supports", response={201: SupportOut})
def support(request, proposal_id: int, payload: SupportIn):
    """A resident supports a proposal; staff enter a support from a suggestion box with ``resident_id``."""
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    if payload.resident_id is None:
        require(user, "deliberation.support_proposal", proposal)
        resident, channel = _me(user), ProposalSource.ONLINE
    else:
        require(user, "deliberation.enter_support", proposal)
        resident = _resident_in_scope(user, payload.resident_id)
        channel = payload.channel if payload.channel != ProposalSource.ONLINE else ProposalSource.SUGGESTION_BOX
    proposal_services.support_proposal(actor=user, proposal=proposal, resident=resident, channel=channel)
    count = Support.objects.filter(proposal=proposal).count()
    return Status(201, {"proposal_id": proposal.pk, "support_count": count, "supported": True})


@router.delete("/proposals/{proposal_id}/supports", response=SupportOut)
def withdraw_support(request, proposal_id: int):
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    require(user, "deliberation.support_proposal", proposal)
    proposal_services.withdraw_support(actor=user, proposal=proposal, resident=_me(user))
    count = Support.objects.filter(proposal=proposal).count()
    return {"proposal_id": proposal.pk, "support_count": count, "supported": False}


@router.post("/proposals/{proposal_id}/review", response=ProposalDetailOut)
def review(request, proposal_id: int, payload: ReviewIn):
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    require(user, "deliberation.review_proposal", proposal)
    merged_into = _ref(Proposal, payload.merged_into, "merged_into", selectors.proposals_visible_to(user))
    proposal_services.review_proposal(
        actor=user,
        proposal=proposal,
        decision=payload.decision,
        answer=payload.answer,
        merged_into=merged_into,
    )
    return proposal_detail(user, selectors.access_proposal(user, proposal_id))


@router.post("/proposals/{proposal_id}/decide", response=ProposalDetailOut)
def decide(request, proposal_id: int, payload: DecideIn):
    """Record that a closed meeting agreed the proposal by consensus (without a ballot)."""
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    require(user, "deliberation.decide_proposal", proposal)
    meeting = _ref(Meeting, payload.meeting_id, "meeting_id", selectors.meetings_visible_to(user))
    proposal_services.decide_by_meeting(actor=user, proposal=proposal, meeting=meeting, note=payload.note)
    return proposal_detail(user, selectors.access_proposal(user, proposal_id))


# Meetings ------------------------------------------------------------------------------------------


def meeting_out(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "community_id": m.community_id,
        "kind": m.kind,
        "title": m.title,
        "starts_at": m.starts_at,
        "location": m.location,
        "status": m.status,
        "procedure": m.procedure,
        "minutes": m.minutes,
        "attendance_count": getattr(m, "attendance_count", 0),
        "agenda": [AgendaItemOut.from_orm(a).dict() for a in m.agenda.all()],
        "invitations": [InvitationOut.from_orm(i).dict() for i in m.invitations.all()],
        "steps": [StepOut.from_orm(s).dict() for s in m.steps.all()],
    }


def _meeting_for_change(user, meeting_id: int, perm: str = "deliberation.change_meeting") -> Meeting:
    meeting = selectors.access_meeting(user, meeting_id)
    require(user, perm, meeting)
    return meeting


@router.get("/meetings", response=list[MeetingListOut])
@paginate(Page)
def list_meetings(request, community: int | None = None, kind: str = "", status: str = ""):
    qs = selectors.meetings_visible_to(request.user)
    if community is not None:
        qs = qs.filter(community_id=community)
    if kind:
        qs = qs.filter(kind=kind[:16])
    if status:
        qs = qs.filter(status=status[:12])
    return qs.order_by("-starts_at", "-id")


@router.post("/meetings", response={201: MeetingOut})
def create_meeting(request, payload: MeetingIn):
    community = _community(request.user, payload.community_id)
    require(request.user, "deliberation.add_meeting", community)
    meeting = meeting_services.create_meeting(
        actor=request.user,
        community=community,
        kind=payload.kind,
        title=payload.title,
        starts_at=payload.starts_at,
        location=payload.location,
        procedure=payload.procedure,
        steps=payload.steps,
    )
    return Status(201, meeting_out(selectors.access_meeting(request.user, meeting.pk)))


@router.post("/meetings/talk-day", response={201: MeetingOut}, summary="Schedule the month's talk day")
def create_talk_day(request, payload: TalkDayIn):
    community = _community(request.user, payload.community_id)
    require(request.user, "deliberation.add_meeting", community)
    meeting = meeting_services.schedule_talk_day(
        actor=request.user,
        community=community,
        month=_month(payload.month, "month"),
        location=payload.location,
    )
    return Status(201, meeting_out(selectors.access_meeting(request.user, meeting.pk)))


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def get_meeting(request, meeting_id: int):
    return meeting_out(selectors.access_meeting(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/agenda", response={201: MeetingOut})
def add_agenda(request, meeting_id: int, payload: AgendaItemIn):
    meeting = _meeting_for_change(request.user, meeting_id)
    proposal = _ref(Proposal, payload.proposal_id, "proposal_id", selectors.proposals_visible_to(request.user))
    meeting_services.add_agenda_item(
        actor=request.user,
        meeting=meeting,
        title=payload.title,
        proposal=proposal,
        source_type=payload.source_type,
        source_id=payload.source_id,
    )
    return Status(201, meeting_out(selectors.access_meeting(request.user, meeting_id)))


@router.post("/meetings/{meeting_id}/agenda/top-proposals", response={201: MeetingOut})
def add_top(request, meeting_id: int, payload: TopProposalsIn):
    meeting = _meeting_for_change(request.user, meeting_id)
    meeting_services.add_top_proposals(
        actor=request.user, meeting=meeting, period=_month(payload.period), limit=payload.limit
    )
    return Status(201, meeting_out(selectors.access_meeting(request.user, meeting_id)))


@router.post("/meetings/{meeting_id}/agenda/{item_id}/outcome", response=MeetingOut)
def set_outcome(request, meeting_id: int, item_id: int, payload: OutcomeIn):
    meeting = _meeting_for_change(request.user, meeting_id)
    item = _ref(AgendaItem, item_id, "item_id", meeting.agenda.all())
    meeting_services.set_agenda_outcome(actor=request.user, item=item, outcome=payload.outcome)
    return meeting_out(selectors.access_meeting(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/invitations", response={201: MeetingOut})
def add_invitation(request, meeting_id: int, payload: InvitationIn):
    meeting = _meeting_for_change(request.user, meeting_id)
    meeting_services.invite(
        actor=request.user,
        meeting=meeting,
        kind=payload.kind,
        department=_ref(Department, payload.department_id, "department_id"),
        resident_unit=_ref(ResidentUnit, payload.resident_unit_id, "resident_unit_id"),
        resident=_resident_in_scope(request.user, payload.resident_id),
        name=payload.name,
        note=payload.note,
    )
    return Status(201, meeting_out(selectors.access_meeting(request.user, meeting_id)))


@router.get("/meetings/{meeting_id}/attendance", response=list[AttendanceOut])
def list_attendance(request, meeting_id: int):
    meeting = _meeting_for_change(request.user, meeting_id, "deliberation.view_attendance")
    return list(meeting.attendance.all())


@router.post("/meetings/{meeting_id}/attendance", response={201: AttendanceOut})
def sign_in(request, meeting_id: int, payload: SignInIn):
    meeting = _meeting_for_change(request.user, meeting_id, "deliberation.sign_in_meeting")
    invitation = _ref(Invitation, payload.invitation_id, "invitation_id", meeting.invitations.all())
    row = meeting_services.sign_in(
        actor=request.user,
        meeting=meeting,
        resident=_resident_in_scope(request.user, payload.resident_id),
        invitation=invitation,
    )
    return Status(201, row)


@router.post("/meetings/{meeting_id}/steps/{step_id}/done", response=MeetingOut)
def complete_step(request, meeting_id: int, step_id: int, payload: StepDoneIn):
    meeting = _meeting_for_change(request.user, meeting_id)
    step = _ref(ProcedureStep, step_id, "step_id", meeting.steps.all())
    meeting_services.complete_step(actor=request.user, step=step, note=payload.note)
    return meeting_out(selectors.access_meeting(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/start", response=MeetingOut)
def start_meeting(request, meeting_id: int):
    meeting = _meeting_for_change(request.user, meeting_id)
    meeting_services.start_meeting(actor=request.user, meeting=meeting)
    return meeting_out(selectors.access_meeting(request.user, meeting_id))


@router.put("/meetings/{meeting_id}/minutes", response=MeetingOut)
def put_minutes(request, meeting_id: int, payload: MinutesIn):
    meeting = _meeting_for_change(request.user, meeting_id)
    meeting_services.record_minutes(actor=request.user, meeting=meeting, minutes=payload.minutes)
    return meeting_out(selectors.access_meeting(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/close", response=MeetingOut)
def close_meeting(request, meeting_id: int):
    meeting = _meeting_for_change(request.user, meeting_id)
    meeting_services.close_meeting(actor=request.user, meeting=meeting)
    return meeting_out(selectors.access_meeting(request.user, meeting_id))


# Ballots -------------------------------------------------------------------------------------------


def _fraction(num: int, den: int, inclusive: bool) -> dict:
    return {"num": num, "den": den, "inclusive": inclusive, "label": str(Threshold(num, den, inclusive))}


def result_out(ballot: Ballot) -> dict:
    t = selectors.ballot_tally(ballot)
    part_count, part_area = t.participating.ratio_of(t.eligible)
    yes_count, yes_area = t.yes.ratio_of(t.participating)

    def share(s):
        return {"count": s.count, "area": s.area}

    return {
        "outcome": ballot.outcome or t.outcome,
        "eligible": share(t.eligible),
        "participating": share(t.participating),
        "yes": share(t.yes),
        "no": share(t.no),
        "abstain": share(t.abstain),
        "participation_ratio": part_count,
        "participation_area_ratio": part_area,
        "approval_ratio": yes_count,
        "approval_area_ratio": yes_area,
        "quorum_by_count": t.quorum_by_count,
        "quorum_by_area": t.quorum_by_area,
        "approval_by_count": t.approval_by_count,
        "approval_by_area": t.approval_by_area,
    }


def ballot_out(ballot: Ballot, *, detail: bool = True) -> dict:
    """A ballot; lists carry the turnout from annotations and leave the result to the detail."""
    turnout = None
    if ballot.status in (BallotStatus.OPEN, BallotStatus.CLOSED):
        if hasattr(ballot, "n_electors"):
            electors, taken = ballot.n_electors, ballot.n_participations
            area, taken_area = (ballot.electors_area, ballot.participating_area) if ballot.weighs_area else (None, None)
        else:
            electors, taken, area, taken_area = selectors.turnout(ballot)
        turnout = {
            "electors": electors,
            "participated": taken,
            "electorate_area": area,
            "participating_area": taken_area,
        }
    return {
        "id": ballot.pk,
        "community_id": ballot.community_id,
        "title": ballot.title,
        "question": ballot.question,
        "rule": ballot.rule,
        "matter": ballot.matter,
        "mode": ballot.mode,
        "status": ballot.status,
        "outcome": ballot.outcome,
        "quorum": _fraction(ballot.quorum_num, ballot.quorum_den, ballot.quorum_inclusive),
        "approval": _fraction(ballot.approval_num, ballot.approval_den, ballot.approval_inclusive),
        "electorate": [{"id": p.pk, "name": p.name} for p in ballot.electorate.all()],
        "proposal_id": ballot.proposal_id,
        "charter_version_id": ballot.charter_version_id,
        "meeting_id": ballot.meeting_id,
        "opens_at": ballot.opens_at,
        "closes_at": ballot.closes_at,
        "opened_at": ballot.opened_at,
        "closed_at": ballot.closed_at,
        "turnout": turnout,
        "result": result_out(ballot) if detail and ballot.status == BallotStatus.CLOSED else None,
    }


def _ballot_for_change(user, ballot_id: int, perm: str = "deliberation.change_ballot") -> Ballot:
    ballot = selectors.access_ballot(user, ballot_id)
    require(user, perm, ballot)
    return ballot


@router.get("/ballots", response=list[BallotOut], summary="Ballots with turnout; the result is in the detail")
@paginate(Page)
def list_ballots(request, community: int | None = None, status: str = ""):
    qs = selectors.with_turnout(selectors.ballots_visible_to(request.user)).prefetch_related("electorate")
    if community is not None:
        qs = qs.filter(community_id=community)
    if status:
        qs = qs.filter(status=status[:10])
    return MappedPage(qs.order_by("-created_at", "-id"), lambda b: ballot_out(b, detail=False))


@router.post("/ballots", response={201: BallotOut})
def create_ballot(request, payload: BallotIn):
    user = request.user
    community = _community(user, payload.community_id)
    require(user, "deliberation.add_ballot", community)
    places = list(registry_selectors.places_visible_to(user).filter(pk__in=payload.electorate))
    if len(places) != len(set(payload.electorate)):
        raise InvalidInput(_("No such record."), field="electorate")
    versions = CharterVersion.objects.filter(charter__in=selectors.charters_visible_to(user))
    ballot = ballot_services.create_ballot(
        actor=user,
        community=community,
        title=payload.title,
        question=payload.question,
        rule=payload.rule,
        matter=payload.matter,
        mode=payload.mode,
        electorate=places,
        proposal=_ref(Proposal, payload.proposal_id, "proposal_id", selectors.proposals_visible_to(user)),
        charter_version=_ref(CharterVersion, payload.charter_version_id, "charter_version_id", versions),
        meeting=_ref(Meeting, payload.meeting_id, "meeting_id", selectors.meetings_visible_to(user)),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        quorum=Threshold(**payload.quorum.dict()) if payload.quorum else None,
        approval=Threshold(**payload.approval.dict()) if payload.approval else None,
    )
    return Status(201, ballot_out(selectors.access_ballot(user, ballot.pk)))


@router.get("/ballots/{ballot_id}", response=BallotOut)
def get_ballot(request, ballot_id: int):
    return ballot_out(selectors.access_ballot(request.user, ballot_id))


@router.post("/ballots/{ballot_id}/open", response=BallotOut)
def open_ballot(request, ballot_id: int):
    ballot = _ballot_for_change(request.user, ballot_id)
    ballot_services.open_ballot(actor=request.user, ballot=ballot)
    return ballot_out(selectors.access_ballot(request.user, ballot_id))


@router.post("/ballots/{ballot_id}/close", response=BallotOut, summary="Close and count (computed)")
def close_ballot(request, ballot_id: int):
    ballot = _ballot_for_change(request.user, ballot_id)
    ballot_services.close_ballot(actor=request.user, ballot=ballot)
    return ballot_out(selectors.access_ballot(request.user, ballot_id))


@router.post("/ballots/{ballot_id}/cancel", response=BallotOut)
def cancel_ballot(request, ballot_id: int):
    ballot = _ballot_for_change(request.user, ballot_id)
    ballot_services.cancel_ballot(actor=request.user, ballot=ballot)
    return ballot_out(selectors.access_ballot(request.user, ballot_id))


def my_vote_out(ballot: Ballot, resident: Resident | None) -> dict:
    elector = selectors.elector_for(ballot, resident) if resident and ballot.status != BallotStatus.DRAFT else None
    participation = getattr(elector, "participation", None) if elector else None
    choice = None
    if participation is not None and not ballot.is_secret:
        choice = participation.vote.choice
    return {
        "entitled": elector is not None,
        "voted": participation is not None,
        "for_household": bool(elector and elector.resident_id is None),
        "channel": participation.channel if participation else None,
        "cast_at": participation.cast_at if participation else None,
        "choice": choice,
    }


@router.get("/ballots/{ballot_id}/my-vote", response=MyVoteOut)
def my_vote(request, ballot_id: int):
    ballot = selectors.access_ballot(request.user, ballot_id)
    return my_vote_out(ballot, selectors.resident_of(request.user))


@router.post("/ballots/{ballot_id}/votes", response={201: MyVoteOut}, summary="Vote online (residents)")
def vote(request, ballot_id: int, payload: VoteIn):
    user = request.user
    ballot = selectors.access_ballot(user, ballot_id)
    require(user, "deliberation.cast_vote", ballot)
    resident = _me(user)
    ballot_services.cast_vote(actor=user, ballot=ballot, resident=resident, choice=payload.choice)
    return Status(201, my_vote_out(ballot, resident))


@router.post(
    "/ballots/{ballot_id}/recorded-votes",
    response={201: MyVoteOut},
    summary="Record a meeting or paper vote (staff)",
)
def record_vote(request, ballot_id: int, payload: RecordVoteIn):
    user = request.user
    ballot = _ballot_for_change(user, ballot_id, "deliberation.record_vote")
    resident = _resident_in_scope(user, payload.resident_id)
    ballot_services.record_vote(
        actor=user, ballot=ballot, resident=resident, choice=payload.choice, channel=payload.channel
    )
    out = my_vote_out(ballot, resident)
    return Status(201, {**out, "choice": None})


@router.get(
    "/ballots/{ballot_id}/votes",
    response=list[NamedVoteOut],
    summary="Who voted what — open (named) ballots only, staff in scope",
)
def named_votes(request, ballot_id: int):
    ballot = _ballot_for_change(request.user, ballot_id, "deliberation.view_named_votes")
    if ballot.is_secret:
        raise NotFound()
    rows = []
    for p in selectors.open_ballot_votes(ballot):
        rows.append(
            {
                "voter": p.cast_by.name if p.cast_by_id else "",
                "address": p.elector.household.address,
                "choice": p.vote.choice,
                "channel": p.channel,
                "area": p.elector.area,
                "cast_at": p.cast_at,
            }
        )
    return rows


# Publicity -----------------------------------------------------------------------------------------


def publicity_out(user, pub: Publicity) -> dict:
    staff = selectors.is_staff_viewer(user, pub)
    me = selectors.resident_of(user)
    objections = []
    for o in pub.objections.all():
        objections.append(
            {
                "id": o.pk,
                "text": o.text,
                "status": o.status,
                "answer": o.answer,
                "answered_at": o.answered_at,
                "created_at": o.created_at,
                "mine": bool(me and o.resident_id == me.pk),
                "objector": (o.resident.name if o.resident_id else "") if staff else "",
            }
        )
    return {
        "id": pub.pk,
        "community_id": pub.community_id,
        "proposal_id": pub.proposal_id,
        "title": pub.title,
        "body": pub.body,
        "project_function": pub.project_function,
        "project_budget_fen": pub.project_budget_fen,
        "starts_on": pub.starts_on,
        "ends_on": pub.ends_on,
        "working_days": pub.working_days,
        "calendar_known": workdays.is_known(pub.ends_on),
        "status": pub.status,
        "objections": objections,
    }


@router.get("/publicities", response=list[PublicityOut])
@paginate(Page)
def list_publicities(request, community: int | None = None, status: str = ""):
    qs = selectors.publicities_visible_to(request.user).prefetch_related("objections__resident")
    if community is not None:
        qs = qs.filter(community_id=community)
    if status:
        qs = qs.filter(status=status[:10])
    return MappedPage(qs.order_by("-starts_on", "-id"), lambda p: publicity_out(request.user, p))


@router.post("/publicities", response={201: PublicityOut})
def create_publicity(request, payload: PublicityIn):
    user = request.user
    proposal = _ref(Proposal, payload.proposal_id, "proposal_id", selectors.proposals_visible_to(user))
    require(user, "deliberation.add_publicity", proposal)
    organization = _ref(PartyOrganization, payload.project_organization_id, "project_organization_id")
    pub = publicity_services.start_publicity(
        actor=user,
        proposal=proposal,
        body=payload.body,
        title=payload.title,
        project_function=payload.project_function,
        project_budget_fen=payload.project_budget_fen,
        project_organization=organization,
        starts_on=payload.starts_on,
        working_days=payload.working_days,
    )
    return Status(201, publicity_out(user, selectors.access_publicity(user, pub.pk)))


@router.get("/publicities/{publicity_id}", response=PublicityOut)
def get_publicity(request, publicity_id: int):
    return publicity_out(request.user, selectors.access_publicity(request.user, publicity_id))


@router.post("/publicities/{publicity_id}/objections", response={201: PublicityOut})
def object_to(request, publicity_id: int, payload: ObjectionIn):
    user = request.user
    pub = selectors.access_publicity(user, publicity_id)
    if payload.resident_id is None:
        require(user, "deliberation.object_publicity", pub)
        resident = _me(user)
    else:
        require(user, "deliberation.enter_objection", pub)
        resident = _resident_in_scope(user, payload.resident_id)
    publicity_services.object_to_publicity(actor=user, publicity=pub, text=payload.text, resident=resident)
    return Status(201, publicity_out(user, selectors.access_publicity(user, publicity_id)))


@router.post("/objections/{objection_id}/answer", response=PublicityOut)
def answer(request, objection_id: int, payload: AnswerIn):
    user = request.user
    objection = selectors.access_objection(user, objection_id)
    require(user, "deliberation.answer_objection", objection.publicity)
    publicity_services.answer_objection(actor=user, objection=objection, uphold=payload.uphold, answer=payload.answer)
    return publicity_out(user, selectors.access_publicity(user, objection.publicity_id))


@router.post(
    "/publicities/{publicity_id}/close",
    response=ProjectOut,
    summary="End a publicity with no objection standing: the proposal becomes a project",
)
def close_publicity(request, publicity_id: int):
    user = request.user
    pub = selectors.access_publicity(user, publicity_id)
    require(user, "deliberation.close_publicity", pub)
    project = publicity_services.close_publicity(actor=user, publicity=pub)
    return project_out(selectors.access_project(user, project.pk))


# Projects ------------------------------------------------------------------------------------------


def project_out(p: Project) -> dict:
    if hasattr(p, "rating_count"):
        count = p.rating_count
        average = (Decimal(p.rating_sum) / count).quantize(Decimal("0.01")) if count else None
    else:
        count, average = selectors.project_rating(p)
    return {
        "id": p.pk,
        "community_id": p.community_id,
        "proposal_id": p.proposal_id,
        "title": p.title,
        "description": p.description,
        "function": p.function,
        "organization_id": p.organization_id,
        "budget_fen": p.budget_fen,
        "status": p.status,
        "progress": selectors.project_progress(p),
        "started_at": p.started_at,
        "completed_at": p.completed_at,
        "award": p.award,
        "rating_count": count,
        "rating_average": average,
    }


def project_detail(user, p: Project) -> dict:
    me = selectors.resident_of(user)
    mine = ProjectRating.objects.filter(project=p, resident=me).values_list("stars", flat=True).first() if me else None
    return {
        **project_out(p),
        "milestones": [MilestoneOut.from_orm(m).dict() for m in p.milestones.all()],
        "updates": [UpdateOut.from_orm(u).dict() for u in p.updates.all()],
        "following": ProjectFollow.objects.filter(project=p, user=user).exists(),
        "my_rating": mine,
    }


def _project_for_change(user, project_id: int, perm: str = "deliberation.change_project") -> Project:
    project = selectors.access_project(user, project_id)
    require(user, perm, project)
    return project


@router.get("/projects", response=list[ProjectOut])
@paginate(Page)
def list_projects(request, community: int | None = None, status: str = "", following: bool = False):
    qs = (
        selectors.projects_visible_to(request.user)
        .prefetch_related("milestones")
        .annotate(rating_count=Count("ratings"), rating_sum=Sum("ratings__stars"))
    )
    if community is not None:
        qs = qs.filter(community_id=community)
    if status:
        qs = qs.filter(status=status[:12])
    if following:
        qs = qs.filter(follows__user=request.user)
    return MappedPage(qs.order_by("-created_at", "-id"), project_out)


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def get_project(request, project_id: int):
    return project_detail(request.user, selectors.access_project(request.user, project_id))


def _project_action(request, project_id: int, fn, **kwargs):
    project = _project_for_change(request.user, project_id)
    fn(actor=request.user, project=project, **kwargs)
    return project_detail(request.user, selectors.access_project(request.user, project_id))


@router.post("/projects/{project_id}/start", response=ProjectDetailOut)
def start_project(request, project_id: int):
    return _project_action(request, project_id, project_services.start_project)


@router.post("/projects/{project_id}/complete", response=ProjectDetailOut)
def complete_project(request, project_id: int):
    return _project_action(request, project_id, project_services.complete_project)


@router.post("/projects/{project_id}/milestones", response={201: ProjectDetailOut})
def add_milestone(request, project_id: int, payload: MilestoneIn):
    return Status(201, _project_action(request, project_id, project_services.add_milestone, **payload.dict()))


@router.post("/projects/{project_id}/milestones/{milestone_id}/done", response=ProjectDetailOut)
def milestone_done(request, project_id: int, milestone_id: int):
    project = _project_for_change(request.user, project_id)
    milestone = _ref(Milestone, milestone_id, "milestone_id", project.milestones.all())
    project_services.complete_milestone(actor=request.user, milestone=milestone)
    return project_detail(request.user, selectors.access_project(request.user, project_id))


@router.post("/projects/{project_id}/updates", response={201: ProjectDetailOut})
def post_update(request, project_id: int, payload: UpdateIn):
    return Status(201, _project_action(request, project_id, project_services.post_update, text=payload.text))


@router.post("/projects/{project_id}/award", response=ProjectDetailOut)
def award(request, project_id: int, payload: AwardIn):
    return _project_action(request, project_id, project_services.award_project, award=payload.award, note=payload.note)


@router.post("/projects/{project_id}/follow", response=ProjectDetailOut)
def follow(request, project_id: int):
    project = _project_for_change(request.user, project_id, "deliberation.follow_project")
    project_services.follow_project(actor=request.user, project=project)
    return project_detail(request.user, selectors.access_project(request.user, project_id))


@router.delete("/projects/{project_id}/follow", response=ProjectDetailOut)
def unfollow(request, project_id: int):
    project = selectors.access_project(request.user, project_id)
    project_services.unfollow_project(actor=request.user, project=project)
    return project_detail(request.user, selectors.access_project(request.user, project_id))


@router.post("/projects/{project_id}/ratings", response={201: ProjectDetailOut})
def rate(request, project_id: int, payload: RatingIn):
    project = _project_for_change(request.user, project_id, "deliberation.rate_project")
    project_services.rate_project(
        actor=request.user,
        project=project,
        resident=_me(request.user),
        stars=payload.stars,
        comment=payload.comment,
    )
    return Status(201, project_detail(request.user, selectors.access_project(request.user, project_id)))


# Pacts ---------------------------------------------------------------------------------------------


def charter_out(user, c) -> dict:
    versions = selectors.charter_versions_visible_to(user, c)
    return {
        "id": c.pk,
        "community_id": c.community_id,
        "kind": c.kind,
        "title": c.title,
        "versions": [VersionOut.from_orm(v).dict() for v in versions],
    }


@router.get("/charters", response=list[CharterOut])
def list_charters(request, community: int | None = None):
    qs = selectors.charters_visible_to(request.user)
    if community is not None:
        qs = qs.filter(community_id=community)
    return [charter_out(request.user, c) for c in qs.order_by("community_id", "kind", "title")[:100]]


@router.post("/charters", response={201: CharterOut})
def create_charter(request, payload: CharterIn):
    community = _community(request.user, payload.community_id)
    require(request.user, "deliberation.add_charter", community)
    charter = charter_services.create_charter(
        actor=request.user, community=community, kind=payload.kind, title=payload.title
    )
    return Status(201, charter_out(request.user, charter))


@router.get("/charters/{charter_id}", response=CharterOut)
def get_charter(request, charter_id: int):
    return charter_out(request.user, selectors.access_charter(request.user, charter_id))


@router.post("/charters/{charter_id}/versions", response={201: CharterOut})
def draft_version(request, charter_id: int, payload: VersionIn):
    charter = selectors.access_charter(request.user, charter_id)
    require(request.user, "deliberation.change_charter", charter)
    charter_services.draft_charter_version(actor=request.user, charter=charter, body=payload.body)
    return Status(201, charter_out(request.user, charter))


@router.put("/charter-versions/{version_id}", response=CharterOut)
def revise_version(request, version_id: int, payload: VersionIn):
    version = selectors.access_charter_version(request.user, version_id)
    require(request.user, "deliberation.change_charter", version.charter)
    charter_services.revise_draft(actor=request.user, version=version, body=payload.body)
    return charter_out(request.user, version.charter)


@router.post("/charter-versions/{version_id}/file", response=CharterOut, summary="Record the filing (备案)")
def file_version(request, version_id: int, payload: FileIn):
    version = selectors.access_charter_version(request.user, version_id)
    require(request.user, "deliberation.change_charter", version.charter)
    charter_services.file_charter_version(
        actor=request.user,
        version=version,
        filed_with=payload.filed_with,
        filed_on=payload.filed_on,
        filing_ref=payload.filing_ref,
    )
    return charter_out(request.user, version.charter)


# Public (信息公开, no login) ----------------------------------------------------------------------------


def _public_community(community: int) -> Place:
    place = Place.objects.filter(pk=community, kind=PlaceKind.COMMUNITY).first()
    if place is None:
        raise NotFound()
    return place


@router.get(
    "/public/publicities",
    response=list[PublicPublicityOut],
    auth=None,
    summary="Published decisions of a community, with objections answered (no names)",
)
@paginate(Page)
def public_publicities(request, community: int):
    place = _public_community(community)
    qs = selectors.public_publicities(place).prefetch_related("objections")

    def out(p: Publicity) -> dict:
        return {
            "id": p.pk,
            "community_id": p.community_id,
            "title": p.title,
            "body": p.body,
            "project_function": p.project_function,
            "project_budget_fen": p.project_budget_fen,
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "status": p.status,
            "objections": [
                {"text": o.text, "status": o.status, "answer": o.answer, "answered_at": o.answered_at}
                for o in p.objections.all()
                if o.status != "pending"
            ],
        }

    return MappedPage(qs, out)


@router.get(
    "/public/projects", response=list[PublicProjectOut], auth=None, summary="A community's projects and their progress"
)
@paginate(Page)
def public_projects(request, community: int):
    place = _public_community(community)
    qs = selectors.public_projects(place).prefetch_related("milestones")

    def out(p: Project) -> dict:
        return {
            "id": p.pk,
            "community_id": p.community_id,
            "title": p.title,
            "description": p.description,
            "function": p.function,
            "budget_fen": p.budget_fen,
            "status": p.status,
            "progress": selectors.project_progress(p),
            "completed_at": p.completed_at,
            "award": p.award,
        }

    return MappedPage(qs, out)
