"""Template helpers shared by every page: labels for stored codes, durations. Templates only display."""

import datetime as dt

from django import template

from gongzhi.accounts.enums import Role
from gongzhi.registry.enums import PlaceKind, Tag

register = template.Library()

_TAG_LABELS = dict(Tag.choices)
_ROLE_LABELS = dict(Role.choices)
_KIND_LABELS = dict(PlaceKind.choices)


@register.filter
def tag_label(code: str) -> str:
    """居民标签: the translated label of a stored tag code."""
    return str(_TAG_LABELS.get(code, code))


@register.filter
def role_label(code: str) -> str:
    return str(_ROLE_LABELS.get(code, code))


@register.filter
def place_kind_label(code: str) -> str:
    return str(_KIND_LABELS.get(code, code))


@register.filter
def minutes(value) -> int:
    """A timedelta (or seconds) as whole minutes, rounded up."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    else:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            return 0
    return int(-(-seconds // 60))


@register.simple_tag
def tile_glyph(icon: str, label) -> str:
    """The one character shown in a portal tile's circle: ``icon`` if it is a CJK character or a letter,
    else the label's first character (emoji need fonts that many kiosks and old phones lack)."""
    icon = (icon or "").strip()
    if len(icon) == 1 and (icon.isalnum() or "\u4e00" <= icon <= "\u9fff"):
        return icon
    text = str(label).strip()
    return text[:1] or "·"
