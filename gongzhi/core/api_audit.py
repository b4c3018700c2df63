"""GET /api/v1/audit — the audit log, read in scope. Items carry who, what, which record, when and from
where, and for a reveal the field and the reason; never the revealed value."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from .api import CleanText, MappedPage, Page
from .models import AuditEvent
from .selectors import audit_events_visible_to

router = Router(tags=["audit"])


class AuditFilter(Schema):
    action: AuditEvent.Action | None = Field(None, description="e.g. reveal, create, import")
    target_type: CleanText = Field("", max_length=60, description="e.g. registry.resident")
    target_id: CleanText = Field("", max_length=40)
    since: dt.datetime | None = Field(None, description="events at or after this time (ISO 8601)")
    until: dt.datetime | None = Field(None, description="events before this time (ISO 8601)")


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    actor_id: int | None
    actor_name: str
    action: str
    action_label: str
    target_type: str
    target_id: str
    target_repr: str
    field: str
    reason: str
    scope_path: str
    ip_address: str | None


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def audit_event_out(e: AuditEvent) -> dict:
    return {"id": e.pk, "created_at": e.created_at, "actor_id": e.actor_id, "actor_name": e.actor_name,
            "action": e.action, "action_label": str(e.get_action_display()), "target_type": e.target_type,
            "target_id": e.target_id, "target_repr": e.target_repr, "field": e.field, "reason": e.reason,
            "scope_path": e.scope_path, "ip_address": e.ip_address}


@router.get("/audit", response=list[AuditEventOut], summary="Audit log in the caller's scope")
@paginate(Page)
def list_audit_events(request, filters: Query[AuditFilter]):
    """Administrators read all of it; street officers and secretaries the events of their places.

    Everyone else is refused (403)."""
    qs = audit_events_visible_to(request.user)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.target_type:
        qs = qs.filter(target_type=filters.target_type)
    if filters.target_id:
        qs = qs.filter(target_id=filters.target_id)
    if filters.since:
        qs = qs.filter(created_at__gte=_aware(filters.since))
    if filters.until:
        qs = qs.filter(created_at__lt=_aware(filters.until))
    return MappedPage(qs.defer("data", "user_agent").order_by("-created_at", "-id"), audit_event_out)
