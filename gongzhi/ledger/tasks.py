"""Background jobs of the ledger. A task takes ids (or nothing), fetches, and calls a service."""

from celery import shared_task

from .services.events import sweep_events
from .services.vouchers import expire_vouchers


@shared_task
def sweep_award_events(*, community_id: int | None = None) -> dict:
    """Hourly: award the points of meeting sign-ins, confirmed volunteer hours and well-rated proposals."""
    return sweep_events(community_id=community_id).awarded


@shared_task
def expire_care_vouchers() -> dict:
    """Daily (it acts from 1 January on): take back the unspent care vouchers of years that have ended."""
    return expire_vouchers(actor=None)
