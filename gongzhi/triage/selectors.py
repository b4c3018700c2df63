"""Reads of the triage app: staff corrections as labelled training examples (人工改派 → 训练样本).

The appeals workflow records every triage decision (``appeals.TriageDecision``: the text, what was suggested,
what staff chose, and whether the choice overrode the suggestion). A case staff corrected — re-assigned its
category, tier or handler away from the suggestion at least once — is one labelled example: its text and the
*last* staff choice (a later re-assignment corrects an earlier one). The label is the first-level category
(城乡建设 …) of the chosen responsibility-list item's catalogue code, else of the chosen category name; with an
item, the second-level category (which carries tier and handler) is a label too.

Cases whose id is divisible by ``HOLDOUT_EVERY`` are held out: never trained on, they score a retrained model
against the one in use (services.retrain_from_corrections).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import taxonomy as tx

HOLDOUT_EVERY = 5


@dataclass(frozen=True)
class Correction:
    appeal_id: int
    decision_id: int
    text: str
    label: str  # first-level category name
    subcategory: str = ""  # second-level code, when the choice names a catalogue item the taxonomy maps

    @property
    def held_out(self) -> bool:
        return self.appeal_id % HOLDOUT_EVERY == 0


@dataclass
class Corrections:
    examples: list[Correction] = field(default_factory=list)
    skipped: int = 0  # corrected cases whose choice names no first-level category
    last_decision_id: int = 0  # the newest staff decision read (to tell whether anything is new)

    @property
    def train(self) -> list[Correction]:
        return [c for c in self.examples if not c.held_out]

    @property
    def held_out(self) -> list[Correction]:
        return [c for c in self.examples if c.held_out]


def correction_examples(*, community_id: int | None = None) -> Corrections:
    """Staff corrections as training examples, one per corrected case (oldest case first); ``community_id``
    keeps one community's cases."""
    from gongzhi.appeals.enums import TriageSource
    from gongzhi.appeals.models import ResponsibilityItem, TriageDecision

    qs = TriageDecision.objects.filter(source=TriageSource.STAFF)
    if community_id is not None:
        qs = qs.filter(appeal__community_id=community_id)
    appeal_ids = set(qs.filter(overridden=True).values_list("appeal_id", flat=True))
    last: dict[int, dict] = {}
    for row in qs.filter(appeal_id__in=appeal_ids).order_by("id").values("id", "appeal_id", "text", "chosen"):
        last[row["appeal_id"]] = row  # the latest staff choice of each case
    item_ids = {(r["chosen"] or {}).get("item") for r in last.values()} - {None, ""}
    codes = dict(ResponsibilityItem.objects.filter(pk__in=item_ids).values_list("pk", "code"))
    tax = tx.load()
    out = Corrections(last_decision_id=qs.order_by("-id").values_list("id", flat=True).first() or 0)
    for appeal_id in sorted(last):
        row = last[appeal_id]
        chosen = row["chosen"] or {}
        node = tax.node_for_item(codes.get(chosen.get("item"), "")) if chosen.get("item") else None
        label = node.parent if node is not None else tax.first_level_of(chosen.get("category", ""))
        text = (row["text"] or "").strip()
        if not label or not text:
            out.skipped += 1
            continue
        out.examples.append(Correction(appeal_id=appeal_id, decision_id=row["id"], text=text, label=label,
                                       subcategory=node.code if node is not None else ""))
    return out
