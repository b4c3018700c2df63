"""Background jobs of the triage app: the scheduled retrain from staff corrections.

Bound to the project's Celery app (``gongzhi.celery.app``) so its settings (eager without a broker) apply. Add to
``CELERY_BEAT_SCHEDULE``: ``"triage-retrain": {"task": "triage.retrain", "schedule": 86400.0}`` (nightly), or run
``gongzhi triage retrain`` from cron.
"""

from gongzhi.celery import app


@app.task(name="triage.retrain")
def retrain_from_corrections() -> dict:
    """Train on the seed corpus plus staff corrections; promote only if at least as good on the held-out set."""
    from .services import retrain_from_corrections as retrain

    return retrain(actor=None)
