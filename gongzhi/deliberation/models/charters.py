from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..enums import CharterKind, CharterStatus


class Charter(models.Model):
    """居民公约 / 自治章程 — a community's pact or self-governance charter, kept in versions."""

    community = models.ForeignKey("registry.Place", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=64, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=CharterKind)
    title = models.CharField(_("title"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["community", "kind", "title"]
        constraints = [models.UniqueConstraint(fields=["community", "title"], name="charter_unique_title")]

    def __str__(self) -> str:
        return self.title


class CharterVersion(models.Model):
    """公约版本 — one text of a pact: drafted, voted (a Ballot), in force, filed (备案), superseded."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=CharterStatus, default=CharterStatus.DRAFT, editable=False
    )
    adopted_at = models.DateTimeField(null=True, blank=True, editable=False)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)  # 备案日期
    filed_with = models.CharField(_("filed with"), max_length=100, blank=True)  # 备案机关, e.g. 街道办事处
    filing_ref = models.CharField(_("filing reference"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["charter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="charter_version_unique_number"),
            models.UniqueConstraint(
                fields=["charter"],
                condition=Q(status=CharterStatus.ADOPTED),
                name="one_charter_version_in_force",
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True) | ~Q(filed_with=""), name="filed_version_names_authority"
            ),
            models.CheckConstraint(
                condition=Q(filed_on__isnull=True)
                | Q(status__in=[CharterStatus.ADOPTED, CharterStatus.SUPERSEDED]),
                name="only_adopted_version_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.charter.title} v{self.number}"
