"""Triage data: the registry of trained classifier versions (分拨模型)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TriageModel(models.Model):
    """分拨模型 — one trained version of the triage classifier: where its files are, how it scored on data it
    was not trained on, what it learnt from, and whether it is the one in use (at most one is active)."""

    name = models.CharField(_("name"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(max_length=300)  # the model's directory, relative to the models directory
    labels = models.JSONField(default=list)
    metrics = models.JSONField(default=dict)  # {"n","accuracy","macro_f1","per_label",…} on held-out data
    data_summary = models.JSONField(default=dict)  # {"source","rows","labels":{label: n},…}
    active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="triage_model_unique_version"),
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="triage_model_one_active"),
            models.CheckConstraint(condition=Q(version__gte=1), name="triage_model_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def key(self) -> str:
        """``name:version`` as the command line accepts it."""
        return f"{self.name}:{self.version}"
