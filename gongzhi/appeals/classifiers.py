"""智能分拨 — the pluggable classifier that suggests a tier, category and handler for an appeal's text.

The interface is ``Classifier.suggest(text) -> list[Suggestion]`` (best first). The default is
``KeywordClassifier`` built from the district default catalogue; the triage app plugs in a trained model
by naming its class in the setting ``APPEALS_CLASSIFIER`` (a dotted path to a zero-argument factory).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "default_catalogue.json"


@dataclass(frozen=True)
class Suggestion:
    """分拨建议 — ``handler`` is ``department:<name>``, ``committee:<function>`` or ``resident``."""

    category: str
    tier: str
    handler: str
    confidence: float
    reasons: list[str] = field(default_factory=list)
    code: str = ""  # the catalogue item code, when the suggestion comes from one

    def as_dict(self) -> dict:
        return {
            "category": self.category,
            "tier": self.tier,
            "handler": self.handler,
            "confidence": round(self.confidence, 3),
            "reasons": list(self.reasons),
            "code": self.code,
        }


class Classifier(Protocol):
    def suggest(self, text: str) -> list[Suggestion]: ...


@lru_cache(maxsize=1)
def default_catalogue() -> dict:
    return json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))


def tokens(text: str) -> set[str]:
    """jieba tokens of ``text`` (search mode, so compound words also yield their parts)."""
    import jieba

    return {t for t in jieba.cut_for_search(text or "") if t.strip()}


_PUNCT = re.compile(r"\s+")


def keyword_hits(text: str, keywords: list[str], words: set[str] | None = None) -> list[str]:
    """Keywords found in ``text``: as a jieba token, or as a substring for keywords of 2+ characters."""
    words = tokens(text) if words is None else words
    flat = _PUNCT.sub("", text or "")
    return [k for k in keywords if k and (k in words or (len(k) >= 2 and k in flat))]


def score(hits: list[str]) -> float:
    """Longer and more keywords → more confident; one 2-character hit is weak (0.45), three are strong."""
    if not hits:
        return 0.0
    weight = sum(min(len(h), 4) for h in hits)
    return min(0.99, 0.25 + 0.1 * weight)


def handler_of(item: dict) -> str:
    kind = item.get("handler_kind", "")
    if kind == "department":
        return f"department:{item.get('department', '')}"
    if kind == "committee":
        return f"committee:{item.get('committee', '')}"
    return kind


class KeywordClassifier:
    """Keyword rules from the district default catalogue."""

    def __init__(self, items: list[dict] | None = None):
        self.items = items if items is not None else default_catalogue()["items"]

    def suggest(self, text: str) -> list[Suggestion]:
        words = tokens(text)
        found = []
        for item in self.items:
            hits = keyword_hits(text, item.get("keywords", []), words)
            if hits:
                found.append(
                    Suggestion(
                        category=item["category"],
                        tier=item["tier"],
                        handler=handler_of(item),
                        confidence=score(hits),
                        reasons=[f"关键词：{h}" for h in hits],
                        code=item["code"],
                    )
                )
        found.sort(key=lambda s: (-s.confidence, s.code))
        return found


@lru_cache(maxsize=1)
def _configured(path: str) -> Classifier:
    return import_string(path)() if path else KeywordClassifier()


def get_classifier() -> Classifier:
    return _configured(getattr(settings, "APPEALS_CLASSIFIER", ""))
