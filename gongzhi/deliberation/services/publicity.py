"""公示: publishing a decision for N working days, objections and their answers, and the end of it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import InvalidInput
from gongzhi.party.enums import Function
from gongzhi.party.models import PartyOrganization
from gongzhi.registry.models import Resident

from .. import workdays, workflow
from ..enums import ObjectionStatus, ProjectStatus, ProposalAction, ProposalStatus, PublicityStatus
from ..errors import IllegalTransition
from ..models import Objection, Project, Proposal, Publicity
from ._common import audit, require_active_resident, require_text
from .proposals import policy_of


def require_organization_in_community(organization: PartyOrganization | None, community, field: str) -> None:
    if organization is not None and not organization.place_path.startswith(community.path):
        raise InvalidInput(_("Choose a party organisation of this community."), field=field)


@transaction.atomic
def start_publicity(
    *,
    actor,
    proposal: Proposal,
    body: str,
    project_function: str,
    project_budget_fen: int = 0,
    project_organization: PartyOrganization | None = None,
    starts_on: dt.date | None = None,
    today: dt.date | None = None,
    working_days: int | None = None,
    title: str = "",
) -> Publicity:
    """Publish a decided proposal, with the committee and budget of the project it will become."""
    if proposal.status != ProposalStatus.DECIDED:
        raise IllegalTransition(_("Only a decided proposal can be published."))
    if project_function not in Function.values:
        raise InvalidInput(_("Choose the committee responsible."), field="project_function")
    if project_budget_fen is None or project_budget_fen < 0:
        raise InvalidInput(_("The budget cannot be negative."), field="project_budget_fen")
    require_organization_in_community(project_organization, proposal.community, "project_organization")
    days = working_days or policy_of(proposal.community).publicity_working_days
    if not 1 <= days <= 60:
        raise InvalidInput(_("A publicity lasts between 1 and 60 working days."), field="working_days")
    today = today or timezone.localdate()
    starts_on = starts_on or today
    if starts_on < today:  # a backdated publicity would shorten the time to object
        raise InvalidInput(_("A publicity cannot start in the past."), field="starts_on")
    publicity = Publicity(
        community_id=proposal.community_id,
        path=proposal.path,
        proposal=proposal,
        title=(title or "").strip() or proposal.title,
        body=require_text(body, "body"),
        project_function=project_function,
        project_organization=project_organization,
        project_budget_fen=project_budget_fen,
        starts_on=starts_on,
        working_days=days,
        ends_on=workdays.add_working_days(starts_on, days),
        created_by=actor,
    )
    publicity.full_clean()
    publicity.save()
    workflow.transition(
        proposal,
        ProposalAction.PUBLISH,
        actor=actor,
        note=_("Published until %(day)s.") % {"day": publicity.ends_on.isoformat()},
    )
    audit(actor, publicity, "start_publicity", ends_on=publicity.ends_on.isoformat())
    return publicity


@transaction.atomic
def object_to_publicity(
    *, actor, publicity: Publicity, text: str, resident: Resident | None = None, today: dt.date | None = None
) -> Objection:
    """An objection, from a resident online or entered by staff; accepted through the last day."""
    today = today or timezone.localdate()
    if publicity.status != PublicityStatus.RUNNING or today > publicity.ends_on:
        raise IllegalTransition(_("The publicity has ended."))
    if today < publicity.starts_on:
        raise IllegalTransition(_("The publicity has not started yet."))
    if resident is not None:
        require_active_resident(resident, publicity.community)
    objection = Objection(
        publicity=publicity,
        resident=resident,
        text=require_text(text, "text"),
        entered_by=actor if resident is None or actor.resident_id != resident.pk else None,
    )
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def answer_objection(*, actor, objection: Objection, uphold: bool, answer: str) -> Objection:
    """Answer an objection. Upheld while the publicity runs, it stops it: back to deliberation."""
    objection = (
        Objection.objects.select_for_update(of=("self",)).select_related("publicity__proposal").get(pk=objection.pk)
    )
    if objection.status != ObjectionStatus.PENDING:
        raise IllegalTransition(_("This objection is already answered."))
    objection.answer = require_text(answer, "answer", message=_("Give the answer (and the reason)."))
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.answered_by, objection.answered_at = actor, timezone.now()
    objection.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    publicity = objection.publicity
    if uphold and publicity.status == PublicityStatus.RUNNING:
        publicity.status, publicity.closed_at = PublicityStatus.BLOCKED, timezone.now()
        publicity.save(update_fields=["status", "closed_at"])
        workflow.transition(
            publicity.proposal,
            ProposalAction.REOPEN,
            actor=actor,
            note=_("Objection upheld: %(answer)s") % {"answer": objection.answer},
        )
    audit(actor, publicity, "answer_objection", objection=objection.pk, upheld=uphold)
    return objection


@transaction.atomic
def close_publicity(*, actor, publicity: Publicity, today: dt.date | None = None) -> Project:
    """After the last day, with every objection answered and none upheld, the proposal becomes a project."""
    publicity = Publicity.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=publicity.pk)
    today = today or timezone.localdate()
    if publicity.status != PublicityStatus.RUNNING:
        raise IllegalTransition(_("The publicity has already ended."))
    if today <= publicity.ends_on:
        raise IllegalTransition(
            _("The publicity runs until %(day)s.") % {"day": publicity.ends_on.isoformat()}
        )
    if publicity.objections.filter(status=ObjectionStatus.PENDING).exists():
        raise IllegalTransition(_("Answer every objection before closing the publicity."))
    if publicity.objections.filter(
        status=ObjectionStatus.UPHELD
    ).exists():  # defensive: upholding blocks at once
        raise IllegalTransition(_("An objection was upheld."))
    publicity.status, publicity.closed_at = PublicityStatus.PASSED, timezone.now()
    publicity.save(update_fields=["status", "closed_at"])
    proposal = publicity.proposal
    project = Project(
        community_id=publicity.community_id,
        path=publicity.path,
        proposal=proposal,
        publicity=publicity,
        title=publicity.title,
        description=publicity.body,
        function=publicity.project_function,
        organization=publicity.project_organization,
        budget_fen=publicity.project_budget_fen,
        status=ProjectStatus.PLANNED,
    )
    project.full_clean()
    project.save()
    workflow.transition(
        proposal, ProposalAction.START_PROJECT, actor=actor, note=_("Publicity ended without objection.")
    )
    audit(actor, publicity, "close_publicity", project=project.pk)
    return project


def close_due_publicities(*, today: dt.date | None = None) -> int:
    """For the daily task: close every publicity past its end with all objections answered."""
    today = today or timezone.localdate()
    due = Publicity.objects.filter(status=PublicityStatus.RUNNING, ends_on__lt=today).exclude(
        objections__status=ObjectionStatus.PENDING
    )
    closed = 0
    for publicity in due:
        close_publicity(actor=None, publicity=publicity, today=today)
        closed += 1
    return closed
