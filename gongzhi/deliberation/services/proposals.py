"""议题: proposing, supporting, reviewing, deciding."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place, Resident

from .. import workflow
from ..enums import (
    SUPPORTABLE_STATUSES,
    BallotStatus,
    MeetingStatus,
    ProposalAction,
    ProposalCategory,
    ProposalSource,
    ProposalStatus,
    SupportUnit,
)
from ..errors import AlreadyDone, IllegalTransition
from ..models import DeliberationPolicy, Meeting, Proposal, Support
from ..selectors import period_of
from ._common import (
    audit,
    create_once,
    require_active_resident,
    require_community,
    require_in_community,
    require_text,
)

PROPOSAL_PLACE_KINDS = {PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE, PlaceKind.BUILDING}


def policy_of(community: Place) -> DeliberationPolicy:
    """The community's policy, or the defaults (unsaved) if it never set one."""
    try:
        return community.deliberation_policy
    except DeliberationPolicy.DoesNotExist:
        return DeliberationPolicy(community=community)


@transaction.atomic
def set_policy(
    *, actor, community: Place, support_unit: str, talk_day: int, publicity_working_days: int
) -> DeliberationPolicy:
    require_community(community)
    policy = policy_of(community)
    policy.support_unit, policy.talk_day = support_unit, talk_day
    policy.publicity_working_days = publicity_working_days
    policy.full_clean()
    policy.save()
    audit(
        actor,
        community,
        "set_deliberation_policy",
        support_unit=support_unit,
        talk_day=talk_day,
        publicity_working_days=publicity_working_days,
    )
    return policy


@transaction.atomic
def submit_proposal(
    *,
    actor,
    community: Place,
    title: str,
    problem: str,
    solution: str = "",
    category: str = ProposalCategory.OTHER,
    place: Place | None = None,
    author: Resident | None = None,
    source: str = ProposalSource.ONLINE,
    source_note: str = "",
    received_on: dt.date | None = None,
    source_type: str = "",
    source_id: str = "",
) -> Proposal:
    """A resident's proposal, online (``author`` required) or entered by staff with its source.

    ``source_type``/``source_id`` link the record it came from, e.g. an appeal sent to deliberation.
    """
    require_community(community)
    title = require_text(title, "title")
    problem = require_text(problem, "problem")
    if place is not None:
        require_in_community(place, community, "place")
        if place.kind not in PROPOSAL_PLACE_KINDS:
            raise InvalidInput(_("Choose a grid, estate or building of the community."), field="place")
    if author is not None:
        require_active_resident(author, community, "author")
    if source == ProposalSource.ONLINE and author is None:
        raise InvalidInput(_("An online proposal needs its author."), field="author")
    if source != ProposalSource.ONLINE and not (source_note or "").strip():
        raise InvalidInput(
            _("Say where the proposal came from (which box, which group, which day)."), field="source_note"
        )
    today = timezone.localdate()
    if received_on is not None and received_on > today:
        raise InvalidInput(_("The date cannot be in the future."), field="received_on")
    if bool(source_type) != bool(source_id):
        raise InvalidInput(_("Give both the kind and the number of the source record."), field="source_id")
    proposal = Proposal(
        community=community,
        place=place,
        path=(place or community).path,
        title=title,
        problem=problem.strip(),
        solution=(solution or "").strip(),
        category=category,
        author=author,
        source=source,
        source_type=source_type,
        source_id=str(source_id),
        source_note=(source_note or "").strip(),
        entered_by=actor if source != ProposalSource.ONLINE else None,
        period=period_of(received_on or today),
        support_unit=policy_of(community).support_unit,
    )
    proposal.full_clean()
    proposal.save()
    workflow.record_submission(proposal, actor=actor)
    return proposal


def support_proposal(*, actor, proposal: Proposal, resident: Resident, channel: str = ProposalSource.ONLINE) -> Support:
    """One support per resident — or per household where the proposal counts households."""
    if proposal.status not in SUPPORTABLE_STATUSES:
        raise IllegalTransition(_("This proposal no longer collects support."))
    community = proposal.community
    require_active_resident(resident, community)
    if proposal.support_unit == SupportUnit.HOUSEHOLD:
        message = _("Your household has already supported this proposal.")
    else:
        message = _("You have already supported this proposal.")
    return create_once(
        Support,
        AlreadyDone(message),
        proposal=proposal,
        resident=resident,
        household_id=resident.household_id,
        unit=proposal.support_unit,
        channel=channel,
        entered_by=actor if channel != ProposalSource.ONLINE else None,
    )


@transaction.atomic
def withdraw_support(*, actor, proposal: Proposal, resident: Resident) -> None:
    if proposal.status not in SUPPORTABLE_STATUSES:
        raise IllegalTransition(_("This proposal no longer collects support."))
    Support.objects.filter(proposal=proposal, resident=resident).delete()


@transaction.atomic
def review_proposal(
    *, actor, proposal: Proposal, decision: str, answer: str = "", merged_into: Proposal | None = None
) -> Proposal:
    """The committee's official answer: accepted, not accepted (with reason) or merged into another."""
    answer = (answer or "").strip()
    if decision == ProposalAction.NOT_ACCEPT and not answer:
        raise InvalidInput(_("Give the reason for not accepting the proposal."), field="answer")
    if decision == ProposalAction.MERGE:
        if merged_into is None:
            raise InvalidInput(_("Choose the proposal to merge into."), field="merged_into")
        if merged_into.pk == proposal.pk or merged_into.community_id != proposal.community_id:
            raise InvalidInput(_("Choose another proposal of the same community."), field="merged_into")
        if merged_into.status in (ProposalStatus.MERGED, ProposalStatus.NOT_ACCEPTED):
            raise InvalidInput(_("That proposal is itself closed."), field="merged_into")
        if not answer:
            answer = _("Merged into “%(title)s”.") % {"title": merged_into.title}
    elif merged_into is not None:
        raise InvalidInput(_("Only a merge names another proposal."), field="merged_into")
    if decision not in workflow.REVIEW_ACTIONS:
        raise InvalidInput(_("Unknown decision."), field="decision")
    workflow.transition(proposal, decision, actor=actor, answer=answer, merged_into=merged_into)
    audit(actor, proposal, "review_proposal", decision=decision)
    return proposal


@transaction.atomic
def decide_by_meeting(*, actor, proposal: Proposal, meeting: Meeting, note: str = "") -> Proposal:
    """Agreed by consensus at a closed meeting that had the proposal on its agenda (no vote needed)."""
    if meeting.community_id != proposal.community_id or not meeting.agenda.filter(proposal=proposal).exists():
        raise InvalidInput(_("The proposal was not on this meeting's agenda."), field="meeting")
    if meeting.status != MeetingStatus.CLOSED:
        raise InvalidInput(_("Close the meeting with its minutes first."), field="meeting")
    if proposal.ballots.filter(status__in=[BallotStatus.DRAFT, BallotStatus.OPEN]).exists():
        raise IllegalTransition(_("A vote on this proposal is under way; its result decides."))
    workflow.transition(
        proposal,
        ProposalAction.DECIDE,
        actor=actor,
        note=note or _("Agreed at “%(meeting)s”.") % {"meeting": meeting.title},
    )
    audit(actor, proposal, "decide_proposal", action=AuditEvent.Action.UPDATE, meeting=meeting.pk)
    return proposal
