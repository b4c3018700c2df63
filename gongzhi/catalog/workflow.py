"""申请办理流程. The only module that assigns Application.status."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.errors import DomainError, InvalidInput

from .enums import ApplicationAction as A
from .enums import ApplicationStatus as S
from .models import Application, ApplicationEvent

TRANSITIONS: Mapping[tuple[str, str], str] = {
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, A.REQUEST_MATERIALS): S.MISSING_MATERIALS,
    (S.SUBMITTED, A.REJECT): S.REJECTED,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.MISSING_MATERIALS, A.RESUBMIT): S.SUBMITTED,
    (S.MISSING_MATERIALS, A.WITHDRAW): S.WITHDRAWN,
    (S.MISSING_MATERIALS, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.REQUEST_MATERIALS): S.MISSING_MATERIALS,
    (S.ACCEPTED, A.COMPLETE): S.COMPLETED,
    (S.ACCEPTED, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.WITHDRAW): S.WITHDRAWN,
}

# Which permission each action needs (asked at the boundary, see rules.py).
PERMISSION = {
    A.ACCEPT: "catalog.handle_application",
    A.REQUEST_MATERIALS: "catalog.handle_application",
    A.COMPLETE: "catalog.handle_application",
    A.REJECT: "catalog.handle_application",
    A.VISIT: "catalog.handle_application",
    A.RESUBMIT: "catalog.resubmit_application",
    A.WITHDRAW: "catalog.withdraw_application",
}


class IllegalTransition(DomainError):
    code = "illegal_transition"
    status = 409


def available_actions(application: Application) -> list[str]:
    found = [action for (source, action) in TRANSITIONS if source == application.status]
    if not application.is_closed:
        found.append(A.VISIT)
    return found


@transaction.atomic
def transition(application: Application, action: str, *, actor, note: str = "",
               missing: list[str] | None = None) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if action == A.VISIT:
        if application.is_closed:
            raise IllegalTransition(_("This application is already closed."))
        application.trips += 1
        application.save(update_fields=["trips"])
        ApplicationEvent.objects.create(application=application, action=action, from_status=application.status,
                                        to_status=application.status, note=note, actor=actor)
        return application
    target = TRANSITIONS.get((application.status, action))
    if target is None:
        raise IllegalTransition(
            _("Cannot %(action)s an application that is %(status)s.")
            % {"action": A(action).label if action in A.values else action,
               "status": S(application.status).label})
    if action == A.REQUEST_MATERIALS:
        missing = [m.strip() for m in (missing or []) if m and m.strip()]
        if not missing:
            raise InvalidInput(_("Name the missing materials, all at once."), field="missing")
        application.missing_materials = missing
    if action in (A.REJECT,) and not note.strip():
        raise InvalidInput(_("Give the reason for rejecting."), field="note")
    source = application.status
    application.status = target
    application.closed_at = timezone.now() if target in (S.COMPLETED, S.REJECTED, S.WITHDRAWN) else None
    if action == A.RESUBMIT:
        application.missing_materials = []
    if action in (A.COMPLETE, A.REJECT):
        application.result_note = note.strip()
    application.save()
    ApplicationEvent.objects.create(application=application, action=action, from_status=source,
                                    to_status=target, note=note, actor=actor)
    return application
