"""Background jobs of the ledger. A task takes ids (or nothing), fetches, and calls a service."""

from celery import shared_task

from .services.events import sweep_events


@shared_task
def sweep_award_events(*, community_id: int | None = None) -> dict:
    """Hourly: award the points of meeting sign-ins, confirmed volunteer hours and well-rated proposals."""
    return sweep_events(community_id=community_id).awarded
