"""Factories for the registry: a small but complete place tree, households and residents.

``make_tree()`` builds one district with one street, two communities (A and B); community A has two
grids (A1, A2), each with one estate and two buildings; community B has one grid with one building.
"""

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from gongzhi.core import idcard
from gongzhi.registry import services
from gongzhi.registry.enums import PlaceKind, Relation
from gongzhi.registry.models import Household, Place, Resident

_seq = itertools.count(1)


def id_number(birth: dt.date = dt.date(1980, 5, 17), *, male: bool = True, region: str = "350102") -> str:
    n = next(_seq) % 500
    return idcard.make(region, birth, n * 2 + (1 if male else 0))


def phone_number() -> str:
    return f"138{next(_seq):08d}"


@dataclass
class Tree:
    district: Place
    street: Place
    community_a: Place
    community_b: Place
    grid_a1: Place
    grid_a2: Place
    grid_b1: Place
    buildings: dict[str, Place] = field(default_factory=dict)


def make_tree() -> Tree:
    district = services.create_place(kind=PlaceKind.DISTRICT, name="鼓楼区", code="350102")
    street = services.create_place(kind=PlaceKind.STREET, name="东街街道", parent=district)
    a = services.create_place(kind=PlaceKind.COMMUNITY, name="军门社区", parent=street)
    b = services.create_place(kind=PlaceKind.COMMUNITY, name="斗池社区", parent=street)
    grids = {}
    buildings = {}
    for community, grid_names in ((a, ["A1", "A2"]), (b, ["B1"])):
        for g in grid_names:
            grid = services.create_place(kind=PlaceKind.GRID, name=f"第{g}网格", parent=community)
            grids[g] = grid
            estate = services.create_place(kind=PlaceKind.ESTATE, name=f"{g}小区", parent=grid)
            for n in (1, 2) if community is a else (1,):
                buildings[f"{g}-{n}"] = services.create_place(kind=PlaceKind.BUILDING, name=f"{n}号楼",
                                                              parent=estate, floors=6)
    return Tree(district, street, a, b, grids["A1"], grids["A2"], grids["B1"], buildings)


def make_household(building: Place, room_no: str | None = None, area: str = "88.50") -> Household:
    return services.create_household(building=building, unit_no="1", room_no=room_no or str(100 + next(_seq)),
                                     floor_area=Decimal(area))


def make_resident(household: Household, *, name: str = "张三", birth: dt.date = dt.date(1980, 5, 17),
                  male: bool = True, phone: str | None = None, relation: str = Relation.HEAD,
                  tags: list[str] | None = None) -> Resident:
    return services.register_resident(actor=None, household=household, name=name,
                                      id_number=id_number(birth, male=male), phone=phone or phone_number(),
                                      relation=relation, tags=tags or [], check_permission=False)
