"""Materialised paths for trees (places, party organisations).

A path is the concatenation of fixed-width decimal segments, one per level: "0001" for a root, "00010003"
for its third child. Digits only and fixed width keep ordering identical under every collation, so a
subtree is one indexed range scan: ``path >= P AND path < next(P)``.
"""

from django.db.models import Q

STEP = 4
MAX_SIBLINGS = 10**STEP - 2  # keeps upper_bound() within the same width


def segment(n: int) -> str:
    if not 1 <= n <= MAX_SIBLINGS:
        raise ValueError(f"sibling number out of range: {n}")
    return f"{n:0{STEP}d}"


def upper_bound(path: str) -> str:
    """The smallest path that sorts after every path starting with ``path``."""
    return f"{int(path) + 1:0{len(path)}d}"


def subtree_q(field: str, path: str, *, include_self: bool = True) -> Q:
    q = Q(**{f"{field}__gte": path, f"{field}__lt": upper_bound(path)})
    if not include_self:
        q &= ~Q(**{field: path})
    return q


def depth(path: str) -> int:
    return len(path) // STEP


def ancestors(path: str) -> list[str]:
    """Ancestor paths, root first, excluding ``path`` itself."""
    return [path[: i * STEP] for i in range(1, depth(path))]
