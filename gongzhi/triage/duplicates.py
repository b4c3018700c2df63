"""重复诉求识别 — likely duplicates of an appeal among recent open cases the user may see.

A pair scores ``(A·text + (1−A)·matter) × place``:
- text: cosine similarity of the two texts in the active model's TF-IDF space (characters and words);
- matter: cosine similarity of the two texts' distributions over the second-level categories (the model's
  category probabilities times each category's second-level probabilities) — "is this the same kind of matter",
  robust to different wording;
- place: how compatible the two places are in the place tree: same place 1, one inside the other's area 0.8
  (a hotline case that names only the estate or community), same estate 0.5, same grid 0.3, same community 0.2.

Pairs at or above ``THRESHOLD`` are reported, best first. ``A``, the place factors and the threshold were chosen
on one half of the labelled duplicate set (bench/triage) and are measured on the other. Candidates: the same
community, open, within ``WINDOW_DAYS`` of the appeal, and visible to the asking user as staff
(``appeals_handled_by``) — a grid worker never sees another grid's case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from gongzhi.appeals.enums import OPEN_STATUSES
from gongzhi.appeals.models import Appeal
from gongzhi.appeals.redaction import redact_for_community
from gongzhi.appeals.selectors import appeals_handled_by
from gongzhi.core.paths import STEP

from . import services
from .engine import TextModel

WINDOW_DAYS = 30
THRESHOLD = 0.5
TEXT_WEIGHT = 0.4  # A
PLACE_FACTORS = {"same_place": 1.0, "within": 0.8, "same_estate": 0.5, "same_grid": 0.3, "same_community": 0.2,
                 "elsewhere": 0.0, "unknown": 0.0}
MAX_CANDIDATES = 500
EXCERPT = 120


def place_closeness(a: str, b: str) -> tuple[float, str]:
    """(factor, kind) of two place paths (district/street/community/grid/estate/building segments)."""
    if not a or not b:
        kind = "unknown"
    elif a == b:
        kind = "same_place"
    elif a.startswith(b) or b.startswith(a):
        kind = "within"  # one appeal names only the wider area (community, grid, estate)
    else:
        common = 0
        for i in range(0, min(len(a), len(b)), STEP):
            if a[i : i + STEP] != b[i : i + STEP]:
                break
            common += 1
        kind = {5: "same_estate", 4: "same_grid", 3: "same_community"}.get(min(common, 5), "elsewhere")
    return PLACE_FACTORS[kind], kind


def signals(model: TextModel, texts: list[str]):
    """(l2-normalised TF-IDF vectors, l2-normalised second-level distributions) of texts."""
    x = model.vectors(texts)
    proba = model.head.proba(x)
    parts = []
    for k, label in enumerate(model.labels):
        head = model.sub_heads.get(label)
        parts.append(proba[:, [k]] * head.proba(x) if head is not None else proba[:, [k]])
    dist = np.hstack(parts)
    dist /= np.maximum(np.linalg.norm(dist, axis=1, keepdims=True), 1e-12)
    return x, dist


def combine(text: float, matter: float, place: float) -> float:
    return (TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * matter) * place


def pair_scores(model: TextModel, text: str, others: list[str], paths: tuple[str, list[str]]) -> list[dict]:
    """Scores of ``text`` against each of ``others``."""
    if not others:
        return []
    x, dist = signals(model, [text, *others])
    similarity = np.asarray((x[1:] @ x[0].T).todense()).ravel()
    matter = dist[1:] @ dist[0]
    out = []
    for k, other_path in enumerate(paths[1]):
        place, kind = place_closeness(paths[0], other_path)
        out.append({"score": round(float(combine(similarity[k], matter[k], place)), 3),
                    "text_similarity": round(float(similarity[k]), 3),
                    "matter_similarity": round(float(matter[k]), 3), "place": kind})
    return out


@dataclass(frozen=True)
class Duplicate:
    appeal: Appeal
    score: float
    text_similarity: float
    matter_similarity: float
    place: str

    def as_dict(self) -> dict:
        a = self.appeal
        excerpt = a.public_text or redact_for_community(a.text, community_id=a.community_id)
        return {
            "id": a.pk,
            "score": self.score,
            "text_similarity": self.text_similarity,
            "matter_similarity": self.matter_similarity,
            "place": self.place,
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

    pool = list(candidates(user, community_id=community_id, at=at or timezone.now(), exclude=exclude))
    if not pool or not (text or "").strip():
        return []
    loaded = services.active_model()
    if loaded is None:
        return []
    scored = pair_scores(loaded.model, text, [a.text for a in pool], (path, [a.path for a in pool]))
    found = [
        Duplicate(appeal=a, score=s["score"], text_similarity=s["text_similarity"],
                  matter_similarity=s["matter_similarity"], place=s["place"])
        for a, s in zip(pool, scored, strict=True)
        if s["score"] >= threshold
    ]
    found.sort(key=lambda d: (-d.score, -d.appeal.pk))
    return found[:limit]


def duplicates_of(user, appeal: Appeal, **kwargs) -> list[Duplicate]:
    """Likely duplicates of an existing appeal (for the case page and for merging)."""
    return find_duplicates(user, text=appeal.text, community_id=appeal.community_id, path=appeal.path,
                           at=appeal.created_at, exclude=appeal.pk, **kwargs)
