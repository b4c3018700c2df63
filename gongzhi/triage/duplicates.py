"""重复诉求识别 — likely duplicates of an appeal among recent open cases the user may see.

Scoring is in similarity.py (text, matter, place and time). Candidates: the same community, open, within
``WINDOW_DAYS`` of the appeal (beyond it no pair can reach the threshold), and visible to the asking user as staff
(``appeals_handled_by``) — a grid worker never sees another grid's case. Works without an installed model too
(text, place and time only).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from gongzhi.appeals.enums import OPEN_STATUSES
from gongzhi.appeals.models import Appeal
from gongzhi.appeals.redaction import redact_for_community
from gongzhi.appeals.selectors import appeals_handled_by

from . import services
from .similarity import MAX_DAYS, THRESHOLD, pair_scores

WINDOW_DAYS = math.ceil(MAX_DAYS)
MAX_CANDIDATES = 500
EXCERPT = 120


@dataclass(frozen=True)
class Duplicate:
    appeal: Appeal
    score: float
    text_similarity: float
    matter_similarity: float
    place: str
    days_apart: float = 0.0

    def as_dict(self) -> dict:
        a = self.appeal
        excerpt = a.public_text or redact_for_community(a.text, community_id=a.community_id)
        return {
            "id": a.pk,
            "score": self.score,
            "text_similarity": self.text_similarity,
            "matter_similarity": self.matter_similarity,
            "place": self.place,
            "days_apart": self.days_apart,
            "status": a.status,
            "category": a.category,
            "created_at": a.created_at,
            "text": excerpt[:EXCERPT],
        }


def candidates(user, *, community_id: int, at: dt.datetime, exclude: int | None = None):
    qs = appeals_handled_by(user).filter(
        community_id=community_id,
        status__in=OPEN_STATUSES,
        created_at__gte=at - dt.timedelta(days=WINDOW_DAYS),
        created_at__lte=at + dt.timedelta(days=WINDOW_DAYS),
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.only("id", "text", "path", "community_id", "status", "category", "created_at", "public_text").order_by(
        "-created_at", "-id"
    )[:MAX_CANDIDATES]


def find_duplicates(user, *, text: str, community_id: int, path: str, at: dt.datetime | None = None,
                    exclude: int | None = None, threshold: float = THRESHOLD, limit: int = 10) -> list[Duplicate]:
    """Likely duplicates of a text filed at ``path`` in a community, among the open cases ``user`` handles."""
    from django.utils import timezone

    at = at or timezone.now()
    pool = list(candidates(user, community_id=community_id, at=at, exclude=exclude))
    if not pool or not (text or "").strip():
        return []
    loaded = services.active_model()
    days = [(a.created_at - at).total_seconds() / 86400 for a in pool]
    scored = pair_scores(loaded.model if loaded else None, text, [a.text for a in pool],
                         (path, [a.path for a in pool]), days)
    found = [
        Duplicate(appeal=a, score=s["score"], text_similarity=s["text_similarity"],
                  matter_similarity=s["matter_similarity"], place=s["place"], days_apart=s["days_apart"])
        for a, s in zip(pool, scored, strict=True)
        if s["score"] >= threshold
    ]
    found.sort(key=lambda d: (-d.score, -d.appeal.pk))
    return found[:limit]


def duplicates_of(user, appeal: Appeal, **kwargs) -> list[Duplicate]:
    """Likely duplicates of an existing appeal (for the case page and for merging)."""
    return find_duplicates(user, text=appeal.text, community_id=appeal.community_id, path=appeal.path,
                           at=appeal.created_at, exclude=appeal.pk, **kwargs)
