"""A worked example of the three rates (三率), March 2026, with February for the period comparison.

Community A (军门社区), March — 5 cases counted, 1 withdrawn case left out:
  1. closed, replied in time, resolved, satisfied
  2. closed, replied in time, resolved, unsatisfied
  3. replied late, not resolved, not rated
  4. in progress, reply deadline passed, no reply (counts against the response rate; overdue)
  5. in progress, reply deadline still ahead (not yet due)
  response 2/4 = 50.0 · resolution 2/3 = 66.7 · satisfaction 1/2 = 50.0
  score (30·50 + 35·66.67 + 35·50) / 100 = 55.8
Community B (斗池社区), March: 1 case closed, all good → 100/100/100, score 100.0.
Community A, February: 1 case closed, all good → 100/100/100.
The flags are set on top of the real workflow (the appeals app writes them) to fix the dates exactly.
"""

import datetime as dt

import pytest
from django.utils import timezone, translation

from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.models import Appeal
from tests.factories.appeals import appeal_in, make_world, submit


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


def _set(appeal, **fields):
    Appeal.objects.filter(pk=appeal.pk).update(**fields)


@pytest.fixture
def example(db):
    w = make_world()
    t = w.tree
    c1 = appeal_in(w, AppealStatus.CLOSED)
    _set(c1, created_at=at("2026-03-02 09:00"), responded_in_time=True, resolved=True, satisfied=True)
    c2 = appeal_in(w, AppealStatus.CLOSED)
    _set(c2, created_at=at("2026-03-03 09:00"), responded_in_time=True, resolved=True, satisfied=False)
    c3 = appeal_in(w, AppealStatus.REPLIED)
    _set(c3, created_at=at("2026-03-10 09:00"), responded_in_time=False, resolved=False, satisfied=None)
    c4 = appeal_in(w, AppealStatus.IN_PROGRESS)
    _set(c4, created_at=at("2026-03-11 09:00"), reply_due_at=at("2026-03-18 18:00"), due_at=at("2026-03-18 18:00"))
    c5 = appeal_in(w, AppealStatus.IN_PROGRESS)
    ahead = timezone.now() + dt.timedelta(days=30)
    _set(c5, created_at=at("2026-03-31 23:30"), reply_due_at=ahead, due_at=ahead)
    c6 = submit(w)
    _set(c6, created_at=at("2026-03-12 09:00"), status=AppealStatus.WITHDRAWN)
    b1 = appeal_in(w, AppealStatus.CLOSED)
    _set(b1, created_at=at("2026-03-20 09:00"), community=t.community_b, path=t.community_b.path,
         place=None, responded_in_time=True, resolved=True, satisfied=True)
    f1 = appeal_in(w, AppealStatus.CLOSED)
    _set(f1, created_at=at("2026-02-20 09:00"), responded_in_time=True, resolved=True, satisfied=True)
    return w
