"""代理授权: staff record that a relative may act for an elder, with how the elder consented."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.audit import record_audit
from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent

from ..errors import IllegalState
from ..models import ProxyAuthorization


@transaction.atomic
def record_proxy(*, principal, agent, actor, relation: str, consent_method: str, consent_note: str,
                 valid_until: dt.date | None = None) -> ProxyAuthorization:
    if principal.pk == agent.pk:
        raise InvalidInput(_("A resident cannot be their own proxy."), field="agent")
    if valid_until is not None and valid_until < timezone.localdate():
        raise InvalidInput(_("The end date is in the past."), field="valid_until")
    if ProxyAuthorization.objects.filter(principal=principal, agent=agent, revoked_at__isnull=True).exists():
        raise IllegalState(_("This proxy is already recorded; revoke it first to change it."))
    proxy = ProxyAuthorization.objects.create(principal=principal, agent=agent, relation=relation.strip(),
                                              consent_method=consent_method, consent_note=consent_note.strip(),
                                              path=principal.path, recorded_by=actor, valid_until=valid_until)
    record_audit(actor=actor, action=AuditEvent.Action.CREATE, target=proxy,
                 data={"consent_method": consent_method})
    return proxy


@transaction.atomic
def revoke_proxy(*, proxy: ProxyAuthorization, actor, reason: str) -> ProxyAuthorization:
    proxy = ProxyAuthorization.objects.select_for_update().get(pk=proxy.pk)
    if proxy.revoked_at is not None:
        raise IllegalState(_("This proxy was already revoked."))
    proxy.revoked_at, proxy.revoked_by, proxy.revoke_reason = timezone.now(), actor, reason.strip()[:200]
    proxy.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record_audit(actor=actor, action=AuditEvent.Action.UPDATE, target=proxy, data={"step": "revoke"})
    return proxy
