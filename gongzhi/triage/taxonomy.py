"""类别体系 — the two-level category tree of data/taxonomy.json and how labels map onto it.

First level: the categories provincial 问政 platforms use (城乡建设 … 纪检监察). Second level: common community
matters, each with a tier (三事分流), a handler (``department:<name>`` · ``committee:<function>`` ·
``resident``) and the codes of the district catalogue items it covers. No Django imports: the benchmark uses it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_PATH = DATA_DIR / "taxonomy.json"


@dataclass(frozen=True)
class Node:
    """One category: ``code`` is ``first`` or ``first/second``; ``parent`` is the first-level name."""

    code: str
    name: str
    parent: str
    tier: str = ""
    handler: str = ""
    items: tuple[str, ...] = ()

    @property
    def is_first_level(self) -> bool:
        return "/" not in self.code

    @property
    def label(self) -> str:
        """How a person writes it: 城乡建设, or 城乡建设/物业服务."""
        return self.name if self.is_first_level else f"{self.parent}/{self.name}"


@dataclass(frozen=True)
class Taxonomy:
    first: tuple[Node, ...]
    second: tuple[Node, ...]
    catalogue_categories: dict

    @property
    def first_names(self) -> list[str]:
        return [n.name for n in self.first]

    def children(self, first_name: str) -> list[Node]:
        return [n for n in self.second if n.parent == first_name]

    def second_by_code(self, code: str) -> Node | None:
        return _index(self)["code"].get(code)

    def node_for_item(self, item_code: str) -> Node | None:
        return _index(self)["item"].get(item_code)

    def resolve(self, label: str) -> Node | None:
        """The node a label names: a first-level name, a second-level code, ``一级/二级`` or a unique second name."""
        label = (label or "").strip()
        index = _index(self)
        return index["label"].get(label) or index["code"].get(label) or index["name"].get(label)

    def first_level_of(self, label: str) -> str | None:
        """The first-level name for a label, also for the district catalogue's own category names (生态环境)."""
        node = self.resolve(label)
        if node is not None:
            return node.parent
        return self.catalogue_categories.get((label or "").strip())


_INDEXES: dict[int, dict] = {}


def _index(t: Taxonomy) -> dict:
    key = id(t)
    if key not in _INDEXES:
        names: dict[str, Node | None] = {}
        for n in t.second:
            names[n.name] = None if n.name in names else n  # a name used twice is not unique
        _INDEXES[key] = {
            "code": {n.code: n for n in t.second},
            "item": {item: n for n in t.second for item in n.items},
            "label": {**{n.name: n for n in t.first}, **{n.label: n for n in t.second}},
            "name": {k: v for k, v in names.items() if v is not None},
        }
    return _INDEXES[key]


@lru_cache(maxsize=1)
def load() -> Taxonomy:
    raw = json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))
    first, second = [], []
    for cat in raw["categories"]:
        first.append(Node(code=cat["code"], name=cat["name"], parent=cat["name"],
                          handler=f"department:{cat['department']}"))
        for child in cat["children"]:
            second.append(Node(code=child["code"], name=child["name"], parent=cat["name"], tier=child["tier"],
                               handler=child["handler"], items=tuple(child["items"])))
    return Taxonomy(first=tuple(first), second=tuple(second),
                    catalogue_categories=dict(raw.get("catalogue_categories", {})))
