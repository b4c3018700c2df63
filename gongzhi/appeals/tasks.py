"""Background jobs of the appeals app: outbox delivery and the periodic tick."""

from celery import shared_task


@shared_task
def deliver_outbox() -> dict:
    from .notifications import deliver_pending

    return deliver_pending()


@shared_task
def appeals_tick() -> dict:
    """Reminders, escalation of overdue cases, and outbox delivery; schedule every few minutes (beat/cron)."""
    from .services import tick

    return tick()
