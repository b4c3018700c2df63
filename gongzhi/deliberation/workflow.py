"""议题流程. This is the only module that assigns Proposal.status."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from .enums import ProposalAction as A
from .enums import ProposalStatus as S
from .errors import IllegalTransition
from .models import Proposal, ProposalEvent

TRANSITIONS: Mapping[tuple[str, str], str] = {
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, A.NOT_ACCEPT): S.NOT_ACCEPTED,
    (S.SUBMITTED, A.MERGE): S.MERGED,
    (S.ACCEPTED, A.DECIDE): S.DECIDED,
    (S.ACCEPTED, A.REJECT): S.REJECTED,
    (S.DECIDED, A.PUBLISH): S.PUBLICITY,
    (S.PUBLICITY, A.REOPEN): S.ACCEPTED,
    (S.PUBLICITY, A.START_PROJECT): S.PROJECT,
}
REVIEW_ACTIONS = (A.ACCEPT, A.NOT_ACCEPT, A.MERGE)


def available_actions(proposal: Proposal) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == proposal.status]


def record_submission(proposal: Proposal, *, actor) -> None:
    ProposalEvent.objects.create(
        proposal=proposal,
        action=A.SUBMIT,
        to_status=proposal.status,
        actor=actor if actor and actor.is_authenticated else None,
    )


@transaction.atomic
def transition(
    proposal: Proposal,
    action: str,
    *,
    actor,
    note: str = "",
    answer: str | None = None,
    merged_into: Proposal | None = None,
) -> Proposal:
    """Move a proposal on; review actions also set the official answer (and the merge target)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    target = TRANSITIONS.get((locked.status, action))
    if target is None:
        raise IllegalTransition()
    fields = ["status", "updated_at"]
    source = locked.status
    locked.status = target
    if action in REVIEW_ACTIONS:
        locked.answer = answer or ""
        locked.answered_at = timezone.now()
        locked.answered_by = actor
        locked.merged_into = merged_into
        fields += ["answer", "answered_at", "answered_by", "merged_into"]
    locked.save(update_fields=fields)
    ProposalEvent.objects.create(
        proposal=locked,
        action=action,
        from_status=source,
        to_status=target,
        actor=actor if actor and actor.is_authenticated else None,
        note=note,
    )
    for f in fields:
        setattr(proposal, f, getattr(locked, f))
    return proposal
