"""How the shipped model is trained (no database: the benchmark trains it the same way)."""

from __future__ import annotations

from .engine import TextModel

THRESHOLD = 0.5  # below this confidence the model abstains and leaves the case to a person


def train_shipped(rows: list[dict]) -> TextModel:
    """Train on seed-corpus records: first-level categories, their second-level heads, and confidence
    calibrated on held-out templates (so it holds for wording the model has not seen)."""
    return TextModel.train(
        [r["text"] for r in rows], [r["category"] for r in rows],
        sub_texts=[r["text"] for r in rows], sub_labels=[r["subcategory"] for r in rows],
        groups=[r["template"] for r in rows], threshold=THRESHOLD,
    )
