"""A small community for the page tests: two grids in community A, one in community B, each role's user.

::

    鼓楼区 › 东街街道 ├ 军门社区 (A) ├ 第A1网格 › A1小区 › 1号楼: 张一格 (head), 张一妻 (spouse, 低保)
                     │             └ 第A2网格 › A2小区 › 1号楼: 李二格
                     └ 斗池社区 (B) └ 第B1网格 › B1小区 › 1号楼: 王斗池

Party: 东街党工委 › 军门党委 › 一网格党总支 (member 张一妻), 斗池党委 (member 赵斗党).
Every name is unique, so "this name is in that page" means something.
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department
from gongzhi.party import services as party
from gongzhi.party.enums import OrganizationKind
from gongzhi.registry import services
from gongzhi.registry.enums import Relation, Tag
from gongzhi.registry.models import WorkListEntry
from tests.factories.accounts import make_user
from tests.factories.registry import id_number, make_household, make_tree


@dataclass
class PageWorld:
    tree: object
    residents: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)
    id_numbers: dict = field(default_factory=dict)  # resident key → the clear ID number, for leak checks
    users: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)


def _resident(w: PageWorld, key: str, household, name: str, **kwargs):
    number = id_number(kwargs.pop("birth", dt.date(1960, 3, 9)))
    resident = services.register_resident(actor=None, household=household, name=name, id_number=number,
                                          phone=kwargs.pop("phone", f"1391234{len(w.residents):04d}"),
                                          check_permission=False, **kwargs)
    w.residents[key] = resident
    w.id_numbers[key] = number
    return resident


@pytest.fixture
def world(db) -> PageWorld:
    tree = make_tree()
    w = PageWorld(tree=tree)
    h1 = w.households["a1"] = make_household(tree.buildings["A1-1"], room_no="101")
    h2 = w.households["a2"] = make_household(tree.buildings["A2-1"], room_no="201")
    h3 = w.households["b1"] = make_household(tree.buildings["B1-1"], room_no="301")
    _resident(w, "head", h1, "张一格", relation=Relation.HEAD, birth=dt.date(1940, 1, 2))
    _resident(w, "spouse", h1, "张一妻", relation=Relation.SPOUSE, tags=[Tag.LOW_INCOME], birth=dt.date(1948, 6, 1))
    _resident(w, "a2", h2, "李二格", relation=Relation.HEAD, birth=dt.date(1985, 7, 7))
    _resident(w, "b1", h3, "王斗池", relation=Relation.HEAD, birth=dt.date(1990, 2, 2))

    users = w.users
    users["admin"] = make_user("admin1", Role.ADMIN)
    users["street"] = make_user("street1", Role.STREET_OFFICER, place=tree.street)
    users["secretary"] = make_user("secretary1", Role.SECRETARY, place=tree.community_a)
    users["secretary_b"] = make_user("secretary2", Role.SECRETARY, place=tree.community_b)
    users["worker"] = make_user("worker1", Role.COMMUNITY_WORKER, place=tree.community_a)
    users["grid01"] = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    users["grid02"] = make_user("grid02", Role.GRID_WORKER, place=tree.grid_a2)
    department = Department.objects.create(name="城管局", office="市容科", place=tree.street)
    users["dept"] = make_user("dept1", Role.DEPARTMENT_HANDLER, department=department)
    users["resident"] = make_user("resident1", Role.RESIDENT, place=tree.community_a, resident=w.residents["head"])

    kinds = OrganizationKind
    top = party.create_organization(actor=None, kind=kinds.WORKING_COMMITTEE, name="东街党工委", place=tree.street)
    a = party.create_organization(actor=None, kind=kinds.COMMITTEE, name="军门党委", place=tree.community_a,
                                  parent=top)
    g1 = party.create_organization(actor=None, kind=kinds.GENERAL_BRANCH, name="一网格党总支", place=tree.grid_a1,
                                   parent=a)
    b = party.create_organization(actor=None, kind=kinds.COMMITTEE, name="斗池党委", place=tree.community_b,
                                  parent=top)
    party.add_member(actor=None, organization=g1, resident=w.residents["spouse"])
    party.add_member(actor=None, organization=b, name="赵斗党")
    w.organizations.update(top=top, a=a, g1=g1, b=b)

    entry = WorkListEntry.objects.create(community=tree.community_a, staff_name="陈包片", position="网格员",
                                         duties="负责第A1网格入户走访", office_phone="0591-87654321")
    entry.buildings.add(tree.buildings["A1-1"])
    return w


@pytest.fixture
def login():
    """``login(user)`` → a Django test client signed in as that user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


HTMX = {"HTTP_HX_REQUEST": "true"}


def linked_residents(html: str) -> list[str]:
    """Names of the residents a page links to, in order (search results, member tables)."""
    import re

    return re.findall(r'<a href="/console/residents/\d+/">([^<]+)</a>', html)
