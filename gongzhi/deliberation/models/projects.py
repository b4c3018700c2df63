from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongzhi.party.enums import Function

from ..enums import Award, ProjectStatus


class Project(models.Model):
    """项目 — a decided proposal carried out by a function committee (or party branch) with a budget.

    Progress is weighted from milestones (as Decidim's accountability does); the budget is in fen.
    """

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    proposal = models.OneToOneField("Proposal", on_delete=models.PROTECT, related_name="project")
    publicity = models.OneToOneField(
        "Publicity", null=True, blank=True, on_delete=models.PROTECT, related_name="project"
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    function = models.CharField(_("responsible committee"), max_length=20, choices=Function)
    organization = models.ForeignKey(
        "party.PartyOrganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliberation_projects",
    )
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus, default=ProjectStatus.PLANNED, editable=False
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)
    award = models.CharField(_("award"), max_length=12, choices=Award, blank=True, editable=False)
    award_note = models.CharField(_("award note"), max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_fen__gte=0), name="project_budget_non_negative"),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.COMPLETED) | Q(completed_at__isnull=False),
                name="completed_project_has_date",
            ),
            models.CheckConstraint(
                condition=Q(award="") | Q(status=ProjectStatus.COMPLETED),
                name="only_completed_project_awarded",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """里程碑 — a weighted step of a project; progress is the done weight over the total weight."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["project", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="milestone_weight_positive")]

    def __str__(self) -> str:
        return self.title


class ProjectUpdate(models.Model):
    """项目进展 — a progress note residents can follow."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("update"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:40]


class ProjectFollow(models.Model):
    """关注 — a user following a project's progress."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="project_follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id}→{self.project_id}"


class ProjectRating(models.Model):
    """居民评议 — a resident's rating (1–5) of a completed project, one per resident."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    resident = models.ForeignKey("registry.Resident", on_delete=models.PROTECT, related_name="+")
    stars = models.PositiveSmallIntegerField(_("stars"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "resident"], name="project_rating_once"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="project_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.stars}"
