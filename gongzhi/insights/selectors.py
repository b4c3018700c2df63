"""Which unit a user may read figures for: a place inside one of their insight scopes, else NotFound."""

from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.selectors import scope_paths
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.registry.models import Place

from . import rates
from .enums import INSIGHT_ROLES


def default_place(user) -> Place:
    """The widest unit the user reads: their first scope, or the first root of the tree for an admin."""
    found = scope_paths(user, INSIGHT_ROLES)
    if found is None:
        place = Place.objects.filter(parent__isnull=True).order_by("path").first()
    else:
        place = Place.objects.filter(path__in=found).order_by("path").first()
    if place is None:
        raise NotFound()
    return place


def access_unit(user, place_id) -> Place:
    """The place ``place_id`` if the user reads figures there (missing and forbidden: 404)."""
    if place_id in (None, ""):
        return default_place(user)
    try:
        place = Place.objects.get(pk=int(place_id))
    except (ValueError, TypeError, Place.DoesNotExist):
        raise NotFound(field="place") from None
    found = scope_paths(user, INSIGHT_ROLES)
    if found is not None and not any(place.path.startswith(p) for p in found):
        raise NotFound(field="place")
    return place


def parse_period(value: str | None) -> str:
    if not value:
        return rates.current_month()
    try:
        rates.parse_month(value)
    except ValueError:
        raise InvalidInput(_("Give the period as YYYY-MM, e.g. 2026-03."), field="period") from None
    return value
