"""Navigation for the staff console: one entry per domain area that is built and that the user may use."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.enums import AUDIT_ROLES, REGISTRY_ROLES, STAFF_ROLES
from gongzhi.accounts.selectors import roles_of

# (url name, label, roles that see it). Areas not built yet are simply not listed.
NAV = [
    ("console:home", _("Overview"), STAFF_ROLES),
    ("console:places", _("Places"), REGISTRY_ROLES),
    ("console:residents", _("Residents"), REGISTRY_ROLES),
    ("party:tree", _("Party organisation"), STAFF_ROLES),
    ("console:work_list", _("Frontline work list"), STAFF_ROLES),
    ("console:audit", _("Audit log"), AUDIT_ROLES),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    roles = roles_of(user)
    items = [{"url": reverse(name), "label": label, "active": request.path.startswith(reverse(name))
              and reverse(name) != "/console/" or request.path == reverse(name)}
             for name, label, allowed in NAV if roles & set(allowed)]
    return {"nav": items, "user_roles": roles}
