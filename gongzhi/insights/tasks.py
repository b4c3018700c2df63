"""Background jobs of insights. A task takes ids (or nothing), fetches, and calls a service."""

from celery import shared_task

from .rollup import run_rollup


@shared_task(name="insights.rollup")
def rollup_task(full: bool = False) -> dict:
    """Every few minutes: roll up the appeals changed since the last run (日汇总); nightly with full=True."""
    return run_rollup(full=full)
