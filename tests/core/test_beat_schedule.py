"""Every periodic job in CELERY_BEAT_SCHEDULE names a task the worker knows: a typo would fail silently."""

from django.conf import settings

from gongzhi import celery_app


def test_every_scheduled_task_is_registered():
    celery_app.loader.import_default_modules()  # what a worker does at start: every app's tasks.py
    known = set(celery_app.tasks.keys())
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled, "nothing is scheduled"
    assert scheduled - known == set()
