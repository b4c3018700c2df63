import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from gongzhi.party.enums import Function

from .enums import (
    Award,
    BallotMode,
    BallotRule,
    Channel,
    CharterKind,
    Choice,
    InvitationKind,
    MatterKind,
    MeetingKind,
    ProposalCategory,
    ProposalSource,
    SupportUnit,
)


def _month():
    return Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")


def _choices(enum) -> type:
    return Literal[tuple(enum.values)]  # type: ignore[valid-type]


CategoryIn = _choices(ProposalCategory)
SourceIn = _choices(ProposalSource)


# Proposals -----------------------------------------------------------------------------------------


class PolicyIn(Schema):
    support_unit: _choices(SupportUnit)  # type: ignore[valid-type]
    talk_day: int = Field(10, ge=1, le=28)
    publicity_working_days: int = Field(5, ge=1, le=60)


class PolicyOut(PolicyIn):
    community_id: int


class ProposalIn(Schema):
    title: str = Field(min_length=2, max_length=120)
    problem: str = Field(min_length=2, max_length=5000)
    solution: str = Field("", max_length=5000)
    category: CategoryIn = ProposalCategory.OTHER  # type: ignore[valid-type]
    place_id: int | None = None
    community_id: int | None = Field(None, description="staff entry: the community (residents: their own)")
    source: SourceIn = ProposalSource.ONLINE  # type: ignore[valid-type]
    source_note: str = Field("", max_length=200, description="staff entry: which box, group or day")
    author_id: int | None = Field(None, description="staff entry: the resident who proposed, if known")
    received_on: dt.date | None = None
    source_type: str = Field("", max_length=40, pattern=r"^([a-z_]+\.[a-z_]+)?$", description="e.g. appeals.appeal")
    source_id: str = Field("", max_length=40)


class ProposalOut(Schema):
    id: int
    community_id: int
    place_id: int | None
    place_name: str
    title: str
    problem: str
    solution: str
    category: str
    source: str
    source_note: str
    source_type: str
    source_id: str
    author_name: str = Field(description="masked (张*) except for staff in scope")
    period: str = Field(description="YYYY-MM")
    status: str
    support_unit: str
    support_count: int
    supported: bool | None = Field(description="whether the asking resident supports it")
    answer: str
    answered_at: dt.datetime | None
    merged_into_id: int | None
    created_at: dt.datetime


class ProposalEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    created_at: dt.datetime


class ProposalDetailOut(ProposalOut):
    events: list[ProposalEventOut]
    available_actions: list[str]


class SupportIn(Schema):
    resident_id: int | None = Field(None, description="staff entry: the resident supporting")
    channel: SourceIn = ProposalSource.ONLINE  # type: ignore[valid-type]


class SupportOut(Schema):
    proposal_id: int
    support_count: int
    supported: bool


class ReviewIn(Schema):
    decision: Literal["accept", "not_accept", "merge"]
    answer: str = Field("", max_length=5000)
    merged_into: int | None = None


class DecideIn(Schema):
    meeting_id: int
    note: str = Field("", max_length=2000)


# Meetings ------------------------------------------------------------------------------------------


class MeetingIn(Schema):
    community_id: int
    kind: _choices(MeetingKind)  # type: ignore[valid-type]
    title: str = Field(min_length=2, max_length=120)
    starts_at: dt.datetime
    location: str = Field("", max_length=120)
    procedure: str | None = Field(None, max_length=40, description="template key; '' for none")
    steps: list[str] | None = Field(None, max_length=30, description="custom step titles instead")


class TalkDayIn(Schema):
    community_id: int
    month: str = _month()
    location: str = Field("", max_length=120)


class AgendaItemIn(Schema):
    title: str = Field("", max_length=120)
    proposal_id: int | None = None
    source_type: str = Field("", max_length=40, pattern=r"^([a-z_]+\.[a-z_]+)?$")
    source_id: str = Field("", max_length=40)


class TopProposalsIn(Schema):
    period: str = _month()
    limit: int = Field(3, ge=1, le=20)


class AgendaItemOut(Schema):
    id: int
    order: int
    title: str
    proposal_id: int | None
    source_type: str
    source_id: str
    outcome: str


class OutcomeIn(Schema):
    outcome: str = Field(max_length=5000)


class InvitationIn(Schema):
    kind: _choices(InvitationKind)  # type: ignore[valid-type]
    department_id: int | None = None
    resident_unit_id: int | None = None
    resident_id: int | None = None
    name: str = Field("", max_length=100)
    note: str = Field("", max_length=200)


class InvitationOut(Schema):
    id: int
    kind: str
    name: str
    note: str
    department_id: int | None
    resident_unit_id: int | None


class SignInIn(Schema):
    resident_id: int | None = None
    invitation_id: int | None = None


class AttendanceOut(Schema):
    id: int
    name: str
    resident_id: int | None
    invitation_id: int | None
    signed_in_at: dt.datetime


class StepOut(Schema):
    id: int
    order: int
    key: str
    title: str
    done_at: dt.datetime | None
    note: str


class StepDoneIn(Schema):
    note: str = Field("", max_length=2000)


class MinutesIn(Schema):
    minutes: str = Field(min_length=1, max_length=50000)


class MeetingOut(Schema):
    id: int
    community_id: int
    kind: str
    title: str
    starts_at: dt.datetime
    location: str
    status: str
    procedure: str
    minutes: str
    attendance_count: int
    agenda: list[AgendaItemOut]
    invitations: list[InvitationOut]
    steps: list[StepOut]


class MeetingListOut(Schema):
    id: int
    community_id: int
    kind: str
    title: str
    starts_at: dt.datetime
    location: str
    status: str


class TemplateIn(Schema):
    community_id: int
    key: str = Field(pattern=r"^[a-z0-9_-]{2,40}$")
    name: str = Field(min_length=2, max_length=100)
    steps: list[str] = Field(min_length=1, max_length=30)


class TemplateOut(Schema):
    key: str
    name: str
    steps: list[str]
    shipped: bool


# Ballots -------------------------------------------------------------------------------------------


class FractionIn(Schema):
    num: int = Field(ge=0, le=1000)
    den: int = Field(ge=1, le=1000)
    inclusive: bool


class FractionOut(FractionIn):
    label: str


class BallotIn(Schema):
    community_id: int
    title: str = Field(min_length=2, max_length=120)
    question: str = Field(min_length=2, max_length=5000)
    rule: _choices(BallotRule)  # type: ignore[valid-type]
    matter: _choices(MatterKind) = MatterKind.ORDINARY  # type: ignore[valid-type]
    mode: _choices(BallotMode) = BallotMode.SECRET  # type: ignore[valid-type]
    electorate: list[int] = Field(min_length=1, max_length=100, description="place ids")
    proposal_id: int | None = None
    charter_version_id: int | None = None
    meeting_id: int | None = None
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    quorum: FractionIn | None = None
    approval: FractionIn | None = None


class ShareOut(Schema):
    count: int
    area: Decimal | None


class TurnoutOut(Schema):
    electors: int
    participated: int
    electorate_area: Decimal | None
    participating_area: Decimal | None


class ResultOut(Schema):
    outcome: str
    eligible: ShareOut
    participating: ShareOut
    yes: ShareOut
    no: ShareOut
    abstain: ShareOut
    participation_ratio: Decimal | None
    participation_area_ratio: Decimal | None
    approval_ratio: Decimal | None
    approval_area_ratio: Decimal | None
    quorum_by_count: bool
    quorum_by_area: bool | None
    approval_by_count: bool
    approval_by_area: bool | None


class PlaceRefOut(Schema):
    id: int
    name: str


class BallotOut(Schema):
    id: int
    community_id: int
    title: str
    question: str
    rule: str
    matter: str
    mode: str
    status: str
    outcome: str
    quorum: FractionOut
    approval: FractionOut
    electorate: list[PlaceRefOut]
    proposal_id: int | None
    charter_version_id: int | None
    meeting_id: int | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    turnout: TurnoutOut | None
    result: ResultOut | None = Field(description="computed from the votes; only once the ballot is closed")


class VoteIn(Schema):
    choice: _choices(Choice)  # type: ignore[valid-type]


class RecordVoteIn(VoteIn):
    resident_id: int
    channel: Literal["meeting", "paper"] = Channel.MEETING


class MyVoteOut(Schema):
    entitled: bool
    voted: bool
    for_household: bool
    channel: str | None
    cast_at: dt.datetime | None
    choice: str | None = Field(description="open ballots only; a secret ballot keeps no link to the voter")


class NamedVoteOut(Schema):
    voter: str
    address: str
    choice: str
    channel: str
    area: Decimal | None
    cast_at: dt.datetime


# Publicity -----------------------------------------------------------------------------------------


class PublicityIn(Schema):
    proposal_id: int
    title: str = Field("", max_length=120)
    body: str = Field(min_length=2, max_length=20000)
    project_function: _choices(Function)  # type: ignore[valid-type]
    project_budget_fen: int = Field(0, ge=0, le=10**13)
    project_organization_id: int | None = None
    starts_on: dt.date | None = None
    working_days: int | None = Field(None, ge=1, le=60)


class ObjectionOut(Schema):
    id: int
    text: str
    status: str
    answer: str
    answered_at: dt.datetime | None
    created_at: dt.datetime
    mine: bool
    objector: str = Field(description="staff in scope only; empty for others")


class PublicityOut(Schema):
    id: int
    community_id: int
    proposal_id: int
    title: str
    body: str
    project_function: str
    project_budget_fen: int
    starts_on: dt.date
    ends_on: dt.date
    working_days: int
    calendar_known: bool
    status: str
    objections: list[ObjectionOut]


class ObjectionIn(Schema):
    text: str = Field(min_length=2, max_length=5000)
    resident_id: int | None = Field(None, description="staff entry: the resident objecting")


class AnswerIn(Schema):
    uphold: bool
    answer: str = Field(min_length=2, max_length=5000)


# Projects ------------------------------------------------------------------------------------------


class MilestoneIn(Schema):
    title: str = Field(min_length=2, max_length=120)
    weight: int = Field(1, ge=1, le=1000)
    due_on: dt.date | None = None


class MilestoneOut(Schema):
    id: int
    title: str
    weight: int
    due_on: dt.date | None
    done_at: dt.datetime | None


class UpdateIn(Schema):
    text: str = Field(min_length=2, max_length=5000)


class UpdateOut(Schema):
    id: int
    text: str
    created_at: dt.datetime


class RatingIn(Schema):
    stars: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)


class AwardIn(Schema):
    award: _choices(Award)  # type: ignore[valid-type]
    note: str = Field("", max_length=200)


class ProjectOut(Schema):
    id: int
    community_id: int
    proposal_id: int
    title: str
    description: str
    function: str
    organization_id: int | None
    budget_fen: int
    status: str
    progress: int = Field(description="percent, weighted by milestones")
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    award: str
    rating_count: int
    rating_average: Decimal | None


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]
    updates: list[UpdateOut]
    following: bool
    my_rating: int | None


# Pacts ---------------------------------------------------------------------------------------------


class CharterIn(Schema):
    community_id: int
    kind: _choices(CharterKind)  # type: ignore[valid-type]
    title: str = Field(min_length=2, max_length=120)


class VersionIn(Schema):
    body: str = Field(min_length=2, max_length=50000)


class FileIn(Schema):
    filed_with: str = Field(min_length=2, max_length=100)
    filed_on: dt.date | None = None
    filing_ref: str = Field("", max_length=60)


class VersionOut(Schema):
    id: int
    number: int
    body: str
    status: str
    adopted_at: dt.datetime | None
    filed_on: dt.date | None
    filed_with: str
    filing_ref: str


class CharterOut(Schema):
    id: int
    community_id: int
    kind: str
    title: str
    versions: list[VersionOut]


# Public (no login) ---------------------------------------------------------------------------------


class PublicObjectionOut(Schema):
    text: str
    status: str
    answer: str
    answered_at: dt.datetime | None


class PublicPublicityOut(Schema):
    id: int
    community_id: int
    title: str
    body: str
    project_function: str
    project_budget_fen: int
    starts_on: dt.date
    ends_on: dt.date
    status: str
    objections: list[PublicObjectionOut]


class PublicProjectOut(Schema):
    id: int
    community_id: int
    title: str
    description: str
    function: str
    budget_fen: int
    status: str
    progress: int
    completed_at: dt.datetime | None
    award: str
