"""网格地图 — the grid map: a unit's communities and their grids, each grid with its figures for a month.

Drawn from the place tree (no map tiles): one block per community under the unit (or the community that
contains it), one tile per grid. Each tile carries the grid's figures for the period, counted exactly as
the dashboard counts them (``rates.range_cases``, ``rates.figure_q`` and ``rates._rates`` — the rates are
defined in rates.py only):

- the period's cases (created in the month, withdrawn and merged left out) with the three rates;
- 超期 overdue now (open cases past their step deadline, whenever created — the dashboard's "overdue now").

The daily rollup is per community, so the grid figures are counted from the cases: ONE grouped query over
the period's cases of the unit (an indexed path range and a created-at range) and ONE over its overdue
cases, each grouped by the path prefix as long as a grid path. Cases filed on the community itself, or on
a place not inside any grid, are shown per community as "not in a grid" so that the tiles of a community
add up to its figures.
"""

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from gongzhi.appeals.models import Appeal
from gongzhi.core import paths
from gongzhi.registry.enums import PlaceKind
from gongzhi.registry.models import Place

from . import rates


def _by_prefix(keys: dict[str, object], cell: str):
    """The entry of ``keys`` whose path is a prefix of ``cell`` (longest first), else None."""
    for length in sorted({len(k) for k in keys}, reverse=True):
        found = keys.get(cell[:length])
        if found is not None:
            return found
    return None


def _communities(place: Place) -> list[Place]:
    """The communities drawn for the unit: those under it, or the one it lies in."""
    under = list(Place.objects.filter(paths.subtree_q("path", place.path), kind=PlaceKind.COMMUNITY)
                 .select_related("parent").order_by("path"))
    if under or place.community_id is None:
        return under
    return list(Place.objects.filter(pk=place.community_id).select_related("parent"))


BELOW_GRIDS = (PlaceKind.ESTATE, PlaceKind.BUILDING)


def _zero() -> dict:
    return {**{f"n_{k}": 0 for k in rates.COUNTED}, "n_overdue": 0}


def _total(rows) -> dict:
    total = _zero()
    for row in rows:
        for k in total:
            total[k] += (row or {}).get(k, 0)
    return total


def _tile(counts: dict | None) -> dict:
    """A tile's figures from its counts: the three rates as rates.py defines them, and overdue now."""
    counts = counts or _zero()
    r = rates._rates(counts)
    return {"cases": r.cases, "overdue": counts["n_overdue"], "response_rate": r.response_rate,
            "resolution_rate": r.resolution_rate, "satisfaction_rate": r.satisfaction_rate, "score": r.score,
            "satisfied": r.satisfied, "rated": r.rated}


def grid_map(place: Place, month: str, *, now=None) -> dict:
    """The grid map of the unit at ``place`` for the month ``YYYY-MM`` (see the module docstring).

    A unit below the grids (an estate, a building) has no map: its blocks are empty."""
    now = now or timezone.now()
    start, end = rates.parse_month(month)
    result = {"place": {"id": place.pk, "name": place.name, "path": place.path, "kind": place.kind},
              "period": month, "communities": [], "totals": {"cases": 0, "overdue": 0, "grids": 0}}
    if place.kind in BELOW_GRIDS:
        return result
    communities = _communities(place)
    grids = list(Place.objects.filter(paths.subtree_q("path", place.path), kind=PlaceKind.GRID)
                 .order_by("path").values("id", "name", "path", "community_id"))
    width = max([len(place.path)] + [len(g["path"]) for g in grids] + [len(c.path) for c in communities])
    cell = Substr("path", 1, width)
    period_rows = (rates.range_cases(place.path, start, end).annotate(cell=cell).values("cell")
                   .annotate(**rates._aggregates(now)).order_by())
    overdue_rows = (Appeal.objects.filter(paths.subtree_q("path", place.path)).overdue(now)
                    .annotate(cell=cell).values("cell").annotate(n_overdue=Count("id")).order_by())

    grid_by_path = {g["path"]: g for g in grids}
    community_by_path = {c.path: c for c in communities}
    counts: dict[str, dict] = {}  # per grid path, or "~" + community path for the cases not in a grid

    def add(row: dict) -> None:
        grid = _by_prefix(grid_by_path, row["cell"])
        community = None if grid is not None else _by_prefix(community_by_path, row["cell"])
        if grid is None and community is None:
            return  # not below any community drawn (cannot happen: every case lies in a community)
        key = grid["path"] if grid is not None else "~" + community.path
        target = counts.setdefault(key, _zero())
        for k in target:
            target[k] += row.get(k) or 0

    for row in period_rows:
        add(row)
    for row in overdue_rows:
        add(row)

    for c in communities:
        own = [g for g in grids if g["community_id"] == c.pk]
        loose = counts.get("~" + c.path)
        result["communities"].append({
            "id": c.pk, "name": c.name, "path": c.path,
            "street": c.parent.name if place.kind == PlaceKind.DISTRICT and c.parent_id else None,
            **_tile(_total([counts.get(g["path"]) for g in own] + [loose])),
            "grids": [{"id": g["id"], "name": g["name"], "path": g["path"], **_tile(counts.get(g["path"]))}
                      for g in own],
            "not_in_grid": _tile(loose) if loose else None,
        })
    blocks = result["communities"]
    result["totals"] = {"cases": sum(b["cases"] for b in blocks), "overdue": sum(b["overdue"] for b in blocks),
                        "grids": sum(len(b["grids"]) for b in blocks)}
    return result
