"""Which unit a user may read figures for: a place inside one of their insight scopes, else NotFound."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.selectors import covers, scope_paths
from gongzhi.appeals.models import Appeal
from gongzhi.appeals.selectors import appeals_handled_by, with_related
from gongzhi.core import paths
from gongzhi.core.errors import InvalidInput, NotFound
from gongzhi.registry.models import Place

from . import rates
from .enums import INSIGHT_ROLES, SURVEY_ROLES


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


def cases_behind(user, place: Place, period: str, *, figure: str, category: str | None = None,
                 week: str | None = None):
    """钻取 — the appeals counted in one figure of ``place`` and ``period``, intersected with the cases the
    user handles (a click never shows more than the appeals list would)."""
    now = timezone.now()
    if figure == "overdue":
        qs = Appeal.objects.filter(paths.subtree_q("path", place.path)).overdue(now)
    else:
        qs = rates.period_cases(place.path, period).filter(rates.figure_q(figure, now))
    if category is not None:
        qs = qs.filter(category=category)
    if week:
        try:
            monday = dt.date.fromisoformat(week)
        except ValueError:
            raise InvalidInput(_("Give the week as the date of its Monday, e.g. 2026-03-02."), field="week") from None
        tz = timezone.get_current_timezone()
        start = timezone.make_aware(dt.datetime.combine(monday, dt.time()), tz)
        qs = qs.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=7))
    visible = appeals_handled_by(user).values("pk")
    return with_related(qs.filter(pk__in=visible)).order_by("-created_at", "-pk")


def covers_unit(user, path: str) -> bool:
    """Does the user read figures (or run surveys) for the unit at ``path``?"""
    return covers(user, INSIGHT_ROLES | SURVEY_ROLES, path)


def covers_any(user) -> bool:
    """Does the user read figures anywhere?"""
    found = scope_paths(user, INSIGHT_ROLES)
    return found is None or bool(found)
