"""重复诉求相似度 — how alike two appeals are (pure: no database; the benchmark uses it too).

A pair scores ``(A·text + B·local + C·matter) × place × time``:
- text: cosine similarity of the two texts in the active model's TF-IDF space (characters and words);
- local: cosine similarity in a TF-IDF space fitted on the pool being compared (the new text and the recent
  cases it is compared with: character 1–3-grams and lexicon words, document frequencies of that pool), so the
  words that single out one matter *here* — the shop's name, the road, the broken thing — weigh most;
- matter: cosine similarity of the two texts' distributions over the second-level categories (the model's
  category probabilities times each category's second-level probabilities) — "is this the same kind of matter",
  robust to different wording;
- place: how compatible the two places are in the place tree: same place 1, one inside the other's area 0.8
  (a hotline case that names only the estate or community), same estate 0.5, same grid 0.3, same community 0.2;
- time: 1 for cases filed within ``SAME_DAYS`` of each other, then ``exp(−(days − SAME_DAYS) / DECAY_DAYS)``.

Pairs at or above ``THRESHOLD`` are reported, best first. The weights, the time shape and the threshold were
chosen on the dev sets of the labelled duplicate set (bench/triage) and are measured on its separate test sets
(docs/benchmarks.md, Triage). Without a model (none installed) ``matter`` and ``text`` are left out and
``local`` counts for all of the text part.
"""

from __future__ import annotations

import math

import numpy as np

from gongzhi.core.paths import STEP

from .engine import Featurizer, TextModel, Vectorizer, domain_words, normalize

THRESHOLD = 0.3
TEXT_WEIGHT = 0.1  # A
LOCAL_WEIGHT = 0.5  # B
MATTER_WEIGHT = 0.4  # C
SAME_DAYS = 3.0
DECAY_DAYS = 5.0  # a case a week older still counts 0.45 (the dev sets alone would pick 1 day: see the benchmark)
PLACE_FACTORS = {"same_place": 1.0, "within": 0.8, "same_estate": 0.5, "same_grid": 0.3, "same_community": 0.2,
                 "elsewhere": 0.0, "unknown": 0.0}
# beyond this many days apart no pair can reach the threshold (the score's other factors are at most 1)
MAX_DAYS = SAME_DAYS + DECAY_DAYS * math.log(1 / THRESHOLD)


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


def time_closeness(days_apart: float) -> float:
    days = abs(days_apart)
    return 1.0 if days <= SAME_DAYS else math.exp(-(days - SAME_DAYS) / DECAY_DAYS)


_PLAIN: Featurizer | None = None


def _featurizer(model: TextModel | None) -> Featurizer:
    """The model's featurizer; without a model, character n-grams and the domain dictionary's words."""
    global _PLAIN
    if model is not None:
        return model.featurizer
    if _PLAIN is None:
        _PLAIN = Featurizer(lexicon=frozenset(normalize(w) for w in domain_words()))
    return _PLAIN


def local_similarity(model: TextModel | None, texts: list[str]) -> np.ndarray:
    """Cosine similarity matrix of ``texts`` in a TF-IDF space fitted on these texts alone."""
    featurizer = _featurizer(model)
    docs = [featurizer.tokens(t) for t in texts]
    vectorizer = Vectorizer.fit(docs, min_df=1)
    x = vectorizer.transform(docs)
    return np.asarray((x @ x.T).todense())


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


def combine(text: float, local: float, matter: float, place: float, time: float) -> float:
    return (TEXT_WEIGHT * text + LOCAL_WEIGHT * local + MATTER_WEIGHT * matter) * place * time


def pair_scores(model: TextModel | None, text: str, others: list[str], paths: tuple[str, list[str]],
                days_apart: list[float]) -> list[dict]:
    """Scores of ``text`` against each of ``others`` (their place paths and how many days apart they were filed)."""
    if not others:
        return []
    local = local_similarity(model, [text, *others])[0, 1:]
    if model is not None:
        x, dist = signals(model, [text, *others])
        similarity = np.asarray((x[1:] @ x[0].T).todense()).ravel()
        matter = dist[1:] @ dist[0]
    else:  # no model: the text part is the local similarity alone
        similarity = matter = local
    out = []
    for k, other_path in enumerate(paths[1]):
        place, kind = place_closeness(paths[0], other_path)
        time = time_closeness(days_apart[k])
        out.append({"score": round(float(combine(similarity[k], local[k], matter[k], place, time)), 3),
                    "text_similarity": round(float(local[k]), 3),
                    "matter_similarity": round(float(matter[k]), 3), "place": kind,
                    "days_apart": round(abs(float(days_apart[k])), 1)})
    return out
