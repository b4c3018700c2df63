"""Reads of core records that depend on who is asking."""

from django.db.models import Q, QuerySet

from gongzhi.accounts.enums import AUDIT_ROLES
from gongzhi.accounts.selectors import scope_paths

from . import paths
from .errors import Forbidden
from .models import AuditEvent

_NOTHING = Q(pk__in=[])


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """审计日志 the user may read: an administrator all of it, a street officer or secretary the events
    whose ``scope_path`` lies under the places they hold that role on. Everyone else is refused (403)."""
    found = scope_paths(user, AUDIT_ROLES)
    if found is None:
        return AuditEvent.objects.all()
    if not found:
        raise Forbidden()
    q = _NOTHING
    for p in found:
        q |= paths.subtree_q("scope_path", p)
    return AuditEvent.objects.filter(q)
