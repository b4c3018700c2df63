"""项目: carrying out a decision — milestones, progress notes, completion, ratings and awards."""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import InvalidInput
from gongzhi.registry.models import Resident

from ..enums import Award, ProjectStatus
from ..errors import AlreadyDone, IllegalTransition
from ..models import Milestone, Project, ProjectFollow, ProjectRating, ProjectUpdate
from ._common import audit, create_once, require_active_resident, require_text


def _require_not_completed(project: Project) -> None:
    if project.status == ProjectStatus.COMPLETED:
        raise IllegalTransition(_("The project is completed."))


@transaction.atomic
def start_project(*, actor, project: Project) -> Project:
    if project.status != ProjectStatus.PLANNED:
        raise IllegalTransition()
    project.status, project.started_at = ProjectStatus.IN_PROGRESS, timezone.now()
    project.save(update_fields=["status", "started_at"])
    audit(actor, project, "start_project")
    return project


@transaction.atomic
def add_milestone(
    *, actor, project: Project, title: str, weight: int = 1, due_on: dt.date | None = None
) -> Milestone:
    _require_not_completed(project)
    if weight < 1:
        raise InvalidInput(_("The weight is at least 1."), field="weight")
    order = (project.milestones.aggregate(m=Max("order"))["m"] or 0) + 1
    milestone = Milestone(
        project=project, title=require_text(title, "title"), weight=weight, due_on=due_on, order=order
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def complete_milestone(*, actor, milestone: Milestone) -> Milestone:
    project = milestone.project
    if project.status != ProjectStatus.IN_PROGRESS:
        raise IllegalTransition(_("Start the project first."))
    if milestone.done_at is not None:
        raise AlreadyDone(_("This milestone is already done."))
    milestone.done_at = timezone.now()
    milestone.save(update_fields=["done_at"])
    return milestone


@transaction.atomic
def post_update(*, actor, project: Project, text: str) -> ProjectUpdate:
    """A progress note for residents following the project."""
    return ProjectUpdate.objects.create(project=project, text=require_text(text, "text"), author=actor)


@transaction.atomic
def complete_project(*, actor, project: Project) -> Project:
    if project.status != ProjectStatus.IN_PROGRESS:
        raise IllegalTransition(_("Only a project in progress can be completed."))
    open_milestones = project.milestones.filter(done_at=None).count()
    if open_milestones:
        raise IllegalTransition(_("%(n)d milestones are not done yet.") % {"n": open_milestones})
    project.status, project.completed_at = ProjectStatus.COMPLETED, timezone.now()
    project.save(update_fields=["status", "completed_at"])
    audit(actor, project, "complete_project")
    return project


def follow_project(*, actor, project: Project) -> ProjectFollow:
    follow, _created = ProjectFollow.objects.get_or_create(project=project, user=actor)
    return follow


def unfollow_project(*, actor, project: Project) -> None:
    ProjectFollow.objects.filter(project=project, user=actor).delete()


def rate_project(
    *, actor, project: Project, resident: Resident, stars: int, comment: str = ""
) -> ProjectRating:
    """居民评议: one rating per resident, once the project is completed."""
    if project.status != ProjectStatus.COMPLETED:
        raise IllegalTransition(_("A project can be rated once it is completed."))
    require_active_resident(resident, project.community)
    if not 1 <= stars <= 5:
        raise InvalidInput(_("Give one to five stars."), field="stars")
    return create_once(
        ProjectRating,
        AlreadyDone(_("You have already rated this project.")),
        project=project,
        resident=resident,
        stars=stars,
        comment=(comment or "").strip()[:500],
    )


@transaction.atomic
def award_project(*, actor, project: Project, award: str, note: str = "") -> Project:
    """社区建设专家奖 / 社区贡献高参达人奖 for a completed project."""
    if project.status != ProjectStatus.COMPLETED:
        raise IllegalTransition(_("Only a completed project can be awarded."))
    if award not in Award.values:
        raise InvalidInput(_("Unknown award."), field="award")
    project.award, project.award_note = award, (note or "").strip()[:200]
    project.save(update_fields=["award", "award_note"])
    audit(actor, project, "award_project", award=award)
    return project
