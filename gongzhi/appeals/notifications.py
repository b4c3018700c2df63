"""通知 — in-app notices and the outbox, written in the same transaction as the event they announce.

``notify(...)`` writes one ``Notification`` per user and one ``OutboxMessage`` per user and external
channel; after commit a Celery task (``tasks.deliver_outbox``) sends pending messages through the
channel adapters. A worker that dies leaves the message pending, so it is sent by the next run.

Channels: ``console`` (logs; the default), ``sms`` and ``wechat`` (template-message adapters: interfaces
that a deployment implements and names in the setting ``APPEALS_NOTIFY_CHANNELS``).
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from .enums import OutboxStatus
from .models import Notification, OutboxMessage

log = logging.getLogger("gongzhi.appeals.notify")
MAX_ATTEMPTS = 5


class ChannelNotConfigured(RuntimeError):
    pass


class DeliveryChannel(Protocol):
    name: str

    def send(self, message: OutboxMessage) -> None:
        """Deliver or raise; the outbox keeps the message for a retry."""


class ConsoleChannel:
    name = "console"

    def send(self, message: OutboxMessage) -> None:
        log.info(
            "notify %s user=%s appeal=%s %s",
            message.template,
            message.user_id,
            message.appeal_id,
            message.payload.get("text", ""),
        )


class SmsChannel:
    """短信 — subclass and implement ``send_sms(phone, template_id, params)`` for a provider."""

    name = "sms"

    def send(self, message: OutboxMessage) -> None:
        phone = self.phone_of(message)
        if not phone:
            return
        self.send_sms(phone, message.template, message.payload)

    def phone_of(self, message: OutboxMessage) -> str:
        from gongzhi.core import crypto

        appeal = message.appeal
        if appeal is not None and appeal.contact_phone_cipher:
            return crypto.decrypt(appeal.contact_phone_cipher)
        return ""

    def send_sms(self, phone: str, template: str, params: dict) -> None:
        raise ChannelNotConfigured("no SMS provider configured")


class WechatTemplateChannel:
    """微信模板消息 — subclass and implement ``send_template(openid, template_id, data)``."""

    name = "wechat"

    def send(self, message: OutboxMessage) -> None:
        raise ChannelNotConfigured("no WeChat template-message account configured")


BUILTIN = {"console": ConsoleChannel, "sms": SmsChannel, "wechat": WechatTemplateChannel}


def channels() -> dict[str, DeliveryChannel]:
    """Configured channels: names of built-ins or dotted paths, from ``APPEALS_NOTIFY_CHANNELS``."""
    found = {}
    for entry in getattr(settings, "APPEALS_NOTIFY_CHANNELS", ["console"]):
        cls = BUILTIN.get(entry) or import_string(entry)
        channel = cls()
        found[channel.name] = channel
    return found


def notify(*, appeal, verb: str, text: str, users=(), user_ids=(), external: bool = True) -> int:
    """Write in-app notices and outbox rows; call inside the transaction of the event they announce.

    With a broker, a worker is asked to deliver after commit; without one (the embedded install), the
    periodic ``gongzhi appeals tick`` delivers, so a request never waits for SMS or WeChat.
    """
    recipients = sorted({u.pk for u in users if u is not None} | set(user_ids))
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        [Notification(user_id=pk, appeal=appeal, verb=verb, text=text[:300]) for pk in recipients]
    )
    if external:
        names = list(channels())
        OutboxMessage.objects.bulk_create(
            [
                OutboxMessage(
                    channel=name,
                    user_id=pk,
                    appeal=appeal,
                    template=verb,
                    payload={"text": text[:300], "appeal_id": appeal.pk if appeal else None},
                )
                for pk in recipients
                for name in names
            ]
        )
        if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
            _schedule_once()
    return len(recipients)


def _schedule_once() -> None:
    """One delivery run per transaction, however many notices it wrote."""
    from django.db import connection

    pending = getattr(connection, "run_on_commit", None) or []
    if not any(entry[1] is _schedule_delivery for entry in pending):
        transaction.on_commit(_schedule_delivery)


def _schedule_delivery() -> None:
    from .tasks import deliver_outbox

    try:
        deliver_outbox.delay()
    except Exception:  # noqa: BLE001 - a broker outage must not fail the request; the next tick delivers
        log.warning("could not schedule outbox delivery; it stays pending")


def deliver_pending(*, limit: int = 200) -> dict[str, int]:
    """Send pending outbox messages; failures are retried up to MAX_ATTEMPTS times."""
    if not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists():
        return {"sent": 0, "failed": 0}  # no write transaction (and no SQLite write lock) for nothing
    configured = channels()
    sent: list[int] = []
    failed = 0
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=OutboxStatus.PENDING)
            .select_related("appeal")
            .order_by("id")[:limit]
        )
        for message in batch:
            channel = configured.get(message.channel)
            try:
                if channel is None:
                    raise ChannelNotConfigured(f"channel {message.channel} is not configured")
                channel.send(message)
            except Exception as exc:  # noqa: BLE001 - any adapter failure is recorded on the message
                attempts = message.attempts + 1
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=attempts,
                    last_error=str(exc)[:300],
                    status=OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING,
                )
                failed += 1
            else:
                sent.append(message.pk)
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(
                status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="", attempts=F("attempts") + 1
            )
    return {"sent": len(sent), "failed": failed}


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
