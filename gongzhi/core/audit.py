"""record_audit(): the one writer of the audit log."""

from .context import current_origin
from .masking import redact_identifiers
from .models import AuditEvent


def record_audit(
    *,
    actor,
    action: str,
    target=None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    scope_path: str = "",
    field: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Write one audit row. ID and mobile numbers written into ``reason`` or ``target_repr`` are stored
    masked."""
    origin = current_origin.get()
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)[:200]
        scope_path = scope_path or getattr(target, "path", "") or ""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else "system"),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=redact_identifiers(target_repr)[:200],
        scope_path=scope_path,
        field=field,
        reason=redact_identifiers(reason),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        data=data or {},
    )
