"""Forms of the registry pages: they parse and validate input; the selectors and services do the work."""

import re

from django import forms
from django.db.models import Q
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from gongzhi.core.models import AuditEvent

from .enums import PlaceKind, Tag
from .models import Place
from .selectors import places_visible_to
from .services import REVEALABLE

# "3号楼", "7栋", "南营巷小区1号楼": text that names a building rather than a person.
BUILDING_TEXT = re.compile(r"(号楼|栋|幢|座)$")
BUILDINGS_MATCHED_LIMIT = 50


def buildings_named(user, text: str) -> list[Place]:
    """Buildings in the user's places whose name, or estate name + name, is ``text`` ("1号楼", "A1小区1号楼")."""
    if not BUILDING_TEXT.search(text):
        return []
    qs = (places_visible_to(user).filter(kind=PlaceKind.BUILDING)
          .annotate(full_name=Concat("parent__name", "name"))
          .filter(Q(name=text) | Q(full_name=text))
          .select_related("parent").order_by("path"))
    return list(qs[:BUILDINGS_MATCHED_LIMIT])


# Above this many places the filter list drops the finest levels (the place tree links to any place).
PLACE_CHOICES_LIMIT = 400
_FILTER_KINDS = [
    [PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE, PlaceKind.BUILDING],
    [PlaceKind.COMMUNITY, PlaceKind.GRID, PlaceKind.ESTATE],
    [PlaceKind.COMMUNITY, PlaceKind.GRID],
    [PlaceKind.COMMUNITY],
]


def place_filter_choices(user, selected: Place | None = None) -> list[tuple[str, str]]:
    """Places the user may filter by, indented by level, at most PLACE_CHOICES_LIMIT of them."""
    visible = places_visible_to(user)
    for kinds in _FILTER_KINDS:
        qs = visible.filter(kind__in=kinds)
        if qs.count() <= PLACE_CHOICES_LIMIT:
            break
    rows = list(qs.order_by("path").only("id", "name", "path", "kind")[:PLACE_CHOICES_LIMIT])
    if selected is not None and selected.pk not in {p.pk for p in rows}:
        rows.append(selected)
        rows.sort(key=lambda p: p.path)
    if not rows:
        return []
    top = min(len(p.path) for p in rows)
    return [(str(p.pk), "\u3000" * ((len(p.path) - top) // 4) + p.name) for p in rows]


class ResidentSearchForm(forms.Form):
    """居民查询 — name, pinyin initials, last four ID digits, a full ID number or a phone; place and tag."""

    q = forms.CharField(label=_("Search"), required=False, max_length=50, strip=True)
    place = forms.IntegerField(label=_("Place"), required=False, min_value=1)
    tag = forms.ChoiceField(label=_("Tag"), required=False, choices=[("", _("All tags")), *Tag.choices])
    archived = forms.BooleanField(label=_("Include archived"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.place_obj: Place | None = None
        self.buildings: list[Place] = []

    def clean_q(self):
        text = self.cleaned_data.get("q", "")
        self.buildings = buildings_named(self.user, text)
        return text

    def clean_place(self):
        place_id = self.cleaned_data.get("place")
        if place_id is None:
            return None
        place = places_visible_to(self.user).filter(pk=place_id).first()
        if place is None:
            raise forms.ValidationError(_("Choose a place within your area."), code="place_scope")
        self.place_obj = place
        return place_id


class RevealForm(forms.Form):
    """查看完整信息 — which field to reveal and why. The reason goes into the audit log."""

    field = forms.ChoiceField(choices=[(f, f) for f in REVEALABLE], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for viewing"), min_length=2, max_length=500, strip=True,
        error_messages={"required": _("Give the reason for viewing this personal data.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("All actions")), *AuditEvent.Action.choices])
    q = forms.CharField(label=_("User or record"), required=False, max_length=100, strip=True)
