"""The appeals intake's classifier (``APPEALS_CLASSIFIER = "gongzhi.triage.classifier.TriageClassifier"``).

``suggest(text)`` answers with the active model's top three first-level categories, each with the tier and
handler of its most likely second-level category, a confidence and the reasons (the second-level category and
the words that decided). When the model is unsure (best confidence below its threshold) the one suggestion has
no tier and no handler — the case is left to a person — and its reasons say so and name the candidates.

Intake never trains. If no model is installed (``gongzhi triage builtin`` or ``gongzhi seed`` installs the shipped
one) or it cannot be loaded, the catalogue keyword rules answer instead, and the first reason says so; when no
keyword matches either, the one suggestion is empty ("no suggestion") and leaves the case to a person.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from gongzhi.appeals.classifiers import KeywordClassifier, Suggestion

from .engine import Prediction

log = logging.getLogger(__name__)

UNSURE = "置信度不足，请人工分流"
NO_MODEL = "未安装分拨模型，按服务目录关键词规则建议"
NO_SUGGESTION = "未安装分拨模型，关键词规则也未命中，请人工分流"


def suggestions_of(prediction: Prediction) -> list[Suggestion]:
    terms = [f"关键词：{t}" for t in prediction.terms[:4]]
    if prediction.abstained:
        candidates = "、".join(f"{g.label} {g.confidence:.0%}" for g in prediction.guesses)
        return [Suggestion(category="", tier="", handler="", confidence=prediction.best.confidence,
                           reasons=[UNSURE, f"可能：{candidates}", *terms])]
    out = []
    for n, g in enumerate(prediction.guesses):
        reasons = [f"细类：{g.subcategory_name}"] if g.subcategory_name else []
        out.append(Suggestion(category=g.label, tier=g.tier, handler=g.handler, confidence=g.confidence,
                              reasons=reasons + (terms if n == 0 else []), code=g.item))
    return out


class TriageClassifier:
    """智能分拨 — the active trained model behind the appeals ``Classifier`` interface."""

    def __init__(self):
        self.fallback = KeywordClassifier()

    def suggest(self, text: str) -> list[Suggestion]:
        from . import services  # the database side, imported when first used

        try:
            loaded = services.active_model()
        except Exception:  # noqa: BLE001 - intake must never fail because a model cannot be loaded or trained
            log.exception("triage: no model could be loaded; using the keyword rules")
            loaded = None
        if loaded is None:
            return self.without_model(text)
        return suggestions_of(loaded.model.predict(text))

    def without_model(self, text: str) -> list[Suggestion]:
        """The catalogue keyword rules, marked as such; an empty suggestion when no rule matches."""
        found = self.fallback.suggest(text)
        if not found:
            return [Suggestion(category="", tier="", handler="", confidence=0.0, reasons=[NO_SUGGESTION])]
        return [replace(s, reasons=[NO_MODEL, *s.reasons]) for s in found]
