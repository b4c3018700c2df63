"""Background jobs of deliberation. A task takes ids (or nothing), fetches, and calls a service."""

from celery import shared_task

from .services.publicity import close_due_publicities


@shared_task
def close_due_publicities_task() -> int:
    """Daily: end every publicity past its last working day whose objections are all answered."""
    return close_due_publicities()
