"""表决: creating, opening (freezing the electorate), voting, closing (computing the result)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import paths
from gongzhi.core.errors import InvalidInput
from gongzhi.registry.enums import PlaceKind, ResidentStatus
from gongzhi.registry.models import Household, Place, Resident

from .. import tally, workflow
from ..eligibility import adult_born_before
from ..enums import (
    BallotMode,
    BallotOutcome,
    BallotRule,
    BallotStatus,
    Channel,
    CharterStatus,
    MatterKind,
    ProposalAction,
    ProposalStatus,
)
from ..errors import AlreadyDone, IllegalTransition, NotEligible
from ..models import Ballot, BallotElector, CharterVersion, Meeting, Participation, Proposal, Vote
from ..selectors import ballot_tally, elector_for
from ._common import audit, require_community, require_in_community, require_text

ELECTORATE_KINDS = {PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE, PlaceKind.BUILDING}


@transaction.atomic
def create_ballot(
    *,
    actor,
    community: Place,
    title: str,
    question: str,
    rule: str,
    electorate: list[Place],
    matter: str = MatterKind.ORDINARY,
    mode: str = BallotMode.SECRET,
    proposal: Proposal | None = None,
    charter_version: CharterVersion | None = None,
    meeting: Meeting | None = None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    quorum: tally.Threshold | None = None,
    approval: tally.Threshold | None = None,
) -> Ballot:
    """A ballot in draft. Thresholds default to what the law sets for the rule and the matter."""
    require_community(community)
    if not electorate:
        raise InvalidInput(_("Choose who votes: the community, estates or buildings."), field="electorate")
    for place in electorate:
        require_in_community(place, community, "electorate")
        if place.kind not in ELECTORATE_KINDS:
            raise InvalidInput(
                _("Choose who votes: the community, estates or buildings."), field="electorate"
            )
    if proposal is not None and charter_version is not None:
        raise InvalidInput(_("A ballot decides one proposal or one pact, not both."), field="charter_version")
    if proposal is not None:
        require_in_community(proposal, community, "proposal")
        if proposal.status != ProposalStatus.ACCEPTED:
            raise InvalidInput(
                _("Only a proposal accepted for deliberation can be put to the vote."), field="proposal"
            )
    if charter_version is not None:
        if charter_version.charter.community_id != community.pk:
            raise InvalidInput(_("This belongs to another community."), field="charter_version")
        if charter_version.status != CharterStatus.DRAFT:
            raise InvalidInput(_("Only a draft can be put to the vote."), field="charter_version")
    if meeting is not None:
        require_in_community(meeting, community, "meeting")
    if (opens_at is None) != (closes_at is None):
        raise InvalidInput(
            _("Give both the opening and the closing time of online voting."), field="closes_at"
        )
    if opens_at is not None and closes_at <= opens_at:
        raise InvalidInput(_("Online voting must close after it opens."), field="closes_at")
    default_quorum, default_approval = tally.default_thresholds(rule, matter)
    quorum, approval = quorum or default_quorum, approval or default_approval
    ballot = Ballot(
        community=community,
        path=community.path,
        title=require_text(title, "title"),
        question=require_text(question, "question"),
        rule=rule,
        matter=matter,
        mode=mode,
        proposal=proposal,
        charter_version=charter_version,
        meeting=meeting,
        opens_at=opens_at,
        closes_at=closes_at,
        quorum_num=quorum.num,
        quorum_den=quorum.den,
        quorum_inclusive=quorum.inclusive,
        approval_num=approval.num,
        approval_den=approval.den,
        approval_inclusive=approval.inclusive,
        created_by=actor,
    )
    ballot.full_clean()
    ballot.save()
    ballot.electorate.set(electorate)
    audit(
        actor, ballot, "create_ballot", rule=rule, matter=matter, quorum=str(quorum), approval=str(approval)
    )
    return ballot


def _electorate_q(ballot: Ballot) -> Q:
    q = Q(pk__in=[])
    for place in ballot.electorate.all():
        q |= paths.subtree_q("path", place.path)
    return q


def _electors(ballot: Ballot, on: dt.date) -> list[BallotElector]:
    where = _electorate_q(ballot) & Q(community_id=ballot.community_id)
    if ballot.rule == BallotRule.PER_RESIDENT:
        residents = (
            Resident.objects.filter(
                where, status=ResidentStatus.ACTIVE, birth_date__lte=adult_born_before(on)
            )
            .only("id", "household_id")
            .order_by("id")
        )
        return [
            BallotElector(ballot=ballot, resident_id=r.pk, household_id=r.household_id) for r in residents
        ]
    households = Household.objects.filter(where).order_by("id")
    if ballot.rule == BallotRule.OWNERS_DOUBLE_MAJORITY:
        households = households.filter(is_owner_occupied=True)
        missing = households.filter(floor_area__isnull=True).count()
        if missing:
            raise InvalidInput(
                _(
                    "%(n)d owner households have no floor area in the registry; an owners' vote needs every "
                    "area."
                )
                % {"n": missing},
                field="electorate",
            )
        return [
            BallotElector(ballot=ballot, household_id=h.pk, area=h.floor_area)
            for h in households.only("id", "floor_area")
        ]
    households = households.filter(residents__status=ResidentStatus.ACTIVE).distinct()
    return [BallotElector(ballot=ballot, household_id=h.pk) for h in households.only("id")]


@transaction.atomic
def open_ballot(*, actor, ballot: Ballot) -> Ballot:
    """Freeze the electorate (表决权人名册) and start voting."""
    given, ballot = ballot, Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != BallotStatus.DRAFT:
        raise IllegalTransition()
    now = timezone.now()
    electors = _electors(ballot, timezone.localdate(now))
    if not electors:
        raise InvalidInput(_("Nobody is entitled to vote in the chosen places."), field="electorate")
    BallotElector.objects.bulk_create(electors, batch_size=2000)
    ballot.status, ballot.opened_at = BallotStatus.OPEN, now
    ballot.save(update_fields=["status", "opened_at"])
    if ballot.charter_version_id:
        CharterVersion.objects.filter(pk=ballot.charter_version_id).update(status=CharterStatus.VOTING)
    audit(actor, ballot, "open_ballot", electors=len(electors))
    given.status, given.opened_at = ballot.status, ballot.opened_at
    return ballot


def _cast(
    *, ballot: Ballot, resident: Resident, choice: str, channel: str, recorded_by=None
) -> Participation:
    if ballot.status != BallotStatus.OPEN:
        raise IllegalTransition(_("Voting is not open."))
    elector = elector_for(ballot, resident)
    if elector is None:
        raise NotEligible(_("This resident is not entitled to vote in this ballot."))
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                ballot=ballot,
                elector=elector,
                cast_by=resident,
                channel=channel,
                recorded_by=recorded_by,
                cast_at=timezone.now(),
            )
            Vote.objects.create(
                ballot=ballot,
                choice=choice,
                area=elector.area,
                participation=None if ballot.is_secret else participation,
            )
    except IntegrityError:
        message = (
            _("You have already voted.") if elector.resident_id else _("Your household has already voted.")
        )
        raise AlreadyDone(message) from None
    return participation


def cast_vote(*, actor, ballot: Ballot, resident: Resident, choice: str) -> Participation:
    """A resident votes online, within the ballot's window."""
    now = timezone.now()
    if ballot.opens_at is None or not ballot.opens_at <= now < ballot.closes_at:
        raise IllegalTransition(_("Online voting is not open now."))
    return _cast(ballot=ballot, resident=resident, choice=choice, channel=Channel.ONLINE)


def record_vote(*, actor, ballot: Ballot, resident: Resident, choice: str, channel: str) -> Participation:
    """Staff record a vote cast at the meeting or on a paper ballot, for the resident who cast it."""
    if channel not in (Channel.MEETING, Channel.PAPER):
        raise InvalidInput(_("Choose the meeting or a paper ballot."), field="channel")
    return _cast(ballot=ballot, resident=resident, choice=choice, channel=channel, recorded_by=actor)


@transaction.atomic
def close_ballot(*, actor, ballot: Ballot) -> tally.Tally:
    """Count the votes; the outcome decides the proposal or the pact version."""
    given, ballot = ballot, Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != BallotStatus.OPEN:
        raise IllegalTransition()
    now = timezone.now()
    if ballot.closes_at is not None and now < ballot.closes_at:
        raise IllegalTransition(
            _("Online voting runs until %(time)s.")
            % {"time": timezone.localtime(ballot.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    result = ballot_tally(ballot)
    ballot.status, ballot.closed_at, ballot.outcome = BallotStatus.CLOSED, now, result.outcome
    ballot.save(update_fields=["status", "closed_at", "outcome"])
    given.status, given.closed_at, given.outcome = ballot.status, ballot.closed_at, ballot.outcome
    if ballot.proposal_id and result.outcome != BallotOutcome.NO_QUORUM:
        action = ProposalAction.DECIDE if result.approved else ProposalAction.REJECT
        workflow.transition(
            ballot.proposal,
            action,
            actor=actor,
            note=_("Vote “%(title)s”: %(outcome)s")
            % {"title": ballot.title, "outcome": BallotOutcome(result.outcome).label},
        )
    if ballot.charter_version_id:
        _settle_charter_version(ballot.charter_version, approved=result.approved, now=now)
    audit(
        actor,
        ballot,
        "close_ballot",
        outcome=result.outcome,
        electors=result.eligible.count,
        participated=result.participating.count,
        yes=result.yes.count,
    )
    return result


def _settle_charter_version(version: CharterVersion, *, approved: bool, now) -> None:
    if approved:
        CharterVersion.objects.filter(charter_id=version.charter_id, status=CharterStatus.ADOPTED).update(
            status=CharterStatus.SUPERSEDED
        )
        version.status, version.adopted_at = CharterStatus.ADOPTED, now
    else:
        version.status = CharterStatus.REJECTED
    version.save(update_fields=["status", "adopted_at"])


@transaction.atomic
def cancel_ballot(*, actor, ballot: Ballot) -> Ballot:
    if ballot.status != BallotStatus.DRAFT:
        raise IllegalTransition(_("Only a ballot not yet open can be cancelled."))
    ballot.status = BallotStatus.CANCELLED
    ballot.save(update_fields=["status"])
    audit(actor, ballot, "cancel_ballot")
    return ballot
