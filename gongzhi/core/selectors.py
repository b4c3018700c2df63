"""Reads of core records that depend on who is asking."""

from django.db.models import QuerySet

from gongzhi.accounts.enums import AUDIT_ROLES
from gongzhi.accounts.selectors import scope_paths, scope_q

from .errors import Forbidden
from .models import AuditEvent


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    """审计日志 the user may read: an administrator all of it, a street officer or secretary the events
    whose ``scope_path`` lies under the places they hold that role on. Everyone else is refused (403)."""
    found = scope_paths(user, AUDIT_ROLES)
    if found is None:
        return AuditEvent.objects.all()
    if not found:
        raise Forbidden()
    return AuditEvent.objects.filter(scope_q(user, AUDIT_ROLES, "scope_path"))
