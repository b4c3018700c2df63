"""Background jobs of the appeals app: outbox delivery and the periodic tick.

Bound to the project's Celery app (``gongzhi.celery.app``) so its settings (eager without a broker) apply
even where ``gongzhi/__init__.py`` does not import the app.
"""

from gongzhi.celery import app


@app.task(name="appeals.deliver_outbox")
def deliver_outbox() -> dict:
    from .notifications import deliver_pending

    return deliver_pending()


@app.task(name="appeals.tick")
def appeals_tick() -> dict:
    """Reminders, escalation of overdue cases, and outbox delivery; schedule every few minutes (beat/cron)."""
    from .services import tick

    return tick()
