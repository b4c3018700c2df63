"""Navigation for the staff console: one entry per domain area that is built and that the user may use.

Each app contributes entries through ``nav`` on its AppConfig: a list of ``(url name, label, roles)``.
Areas not built yet have no entries, so they do not show.
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from gongzhi.accounts.selectors import roles_of


def nav_entries():
    for config in apps.get_app_configs():
        yield from getattr(config, "nav", []) or []


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    roles = roles_of(user)
    items = []
    for name, label, allowed in nav_entries():
        if not roles & set(allowed):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path == url
                      or (url.rstrip("/").count("/") > 1 and request.path.startswith(url))})
    return {"nav": items, "user_roles": roles}
