from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.registry.enums import PlaceKind, ResidentStatus


def require_community(place) -> None:
    if place is None or place.kind != PlaceKind.COMMUNITY:
        raise InvalidInput(_("Choose a community."), field="community")


def require_in_community(obj, community, field: str) -> None:
    """The object (place, resident, proposal…) must belong to ``community``."""
    if obj is not None and obj.community_id != community.pk:
        raise InvalidInput(_("This belongs to another community."), field=field)


def require_active_resident(resident, community, field: str = "resident") -> None:
    if resident is None:
        raise InvalidInput(_("Choose a resident."), field=field)
    require_in_community(resident, community, field)
    if resident.status != ResidentStatus.ACTIVE:
        raise InvalidInput(_("This resident no longer lives here."), field=field)


def require_text(value: str, field: str, *, message=None) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message or _("This field is required."), field=field)
    return value


def create_once(model, error, **values):
    """Create a row in a savepoint; a unique-constraint refusal becomes ``error``."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise error from None


def audit(actor, target, event: str, *, action: str = AuditEvent.Action.UPDATE, **data) -> None:
    record_audit(actor=actor, action=action, target=target, data={"event": event, **data})
