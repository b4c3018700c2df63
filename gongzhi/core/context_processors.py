"""Navigation for the staff console and the resident portal: one entry per area that is built and allowed.

Each app contributes entries through attributes on its AppConfig:

- ``nav``: console entries, a list of ``(url name, label, roles)``; shown to holders of one of the roles.
- ``portal_nav``: resident portal tiles, a list of ``(url name, label, icon)``; shown to every signed-in user
  of the portal. ``icon`` is one Chinese character shown in a circle (e.g. "诉"); emoji are not used.

Areas not built yet have no entries (or their URL does not resolve), so they do not show.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from gongzhi.accounts.selectors import roles_of


def nav_entries():
    for config in apps.get_app_configs():
        yield from getattr(config, "nav", []) or []


def _nav_groups():
    for config in apps.get_app_configs():
        for entry in getattr(config, "nav", []) or []:
            yield config.label, entry


def portal_nav_entries():
    for config in apps.get_app_configs():
        yield from getattr(config, "portal_nav", []) or []


def portal_tiles() -> list[dict]:
    tiles = []
    for name, label, icon in portal_nav_entries():
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        tiles.append({"name": name, "url": url, "label": label, "icon": icon})
    return tiles


def _user_scopes(user) -> list[dict]:
    """The user's role assignments as "role · place" labels, for the console header."""
    from gongzhi.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.filter(user_id=user.pk).select_related("place", "department")
    out = []
    for a in rows.order_by("role", "place__path"):
        where = a.department or a.place
        label = f"{a.get_role_display()}·{where}" if where else str(a.get_role_display())
        out.append({"role": a.role, "label": label, "place": a.place})
    return out


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "portal_nav": []}
    roles = roles_of(user)
    items = []
    for app, (name, label, allowed) in _nav_groups():
        if not roles & set(allowed):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "app": app,
                      "new_group": bool(items) and items[-1]["app"] != app,
                      "active": request.path == url
                      or (url.rstrip("/").count("/") > 1 and request.path.startswith(url))})
    return {
        "nav": items,
        "user_roles": roles,
        "user_scopes": SimpleLazyObject(lambda: _user_scopes(user)),
        "portal_nav": SimpleLazyObject(portal_tiles),
    }
