"""重复诉求相似度 — how alike two appeals are (pure: no database; the benchmark uses it too).

A pair scores ``(A·text + (1−A)·matter) × place``:
- text: cosine similarity of the two texts in the active model's TF-IDF space (characters and words);
- matter: cosine similarity of the two texts' distributions over the second-level categories (the model's
  category probabilities times each category's second-level probabilities) — "is this the same kind of matter",
  robust to different wording;
- place: how compatible the two places are in the place tree: same place 1, one inside the other's area 0.8
  (a hotline case that names only the estate or community), same estate 0.5, same grid 0.3, same community 0.2.

Pairs at or above ``THRESHOLD`` are reported, best first. ``A``, the place factors and the threshold were chosen
on one half of the labelled duplicate set (bench/triage) and are measured on the other.
"""

from __future__ import annotations

import numpy as np

from gongzhi.core.paths import STEP

from .engine import TextModel

THRESHOLD = 0.5
TEXT_WEIGHT = 0.4  # A
PLACE_FACTORS = {"same_place": 1.0, "within": 0.8, "same_estate": 0.5, "same_grid": 0.3, "same_community": 0.2,
                 "elsewhere": 0.0, "unknown": 0.0}


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
