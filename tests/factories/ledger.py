"""Factories for the ledger and volunteering: funded accounts, resident users, and a small world."""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from gongzhi.accounts.enums import Role
from gongzhi.ledger.enums import AccountKind, BehaviorCategory, CapPeriod, Currency, Polarity, TxKind
from gongzhi.ledger.services import points, posting
from gongzhi.registry.enums import Relation
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree


def fund_household(household, points: int, *, actor=None):
    """Credit ``points`` to the household from the community's issuance account."""
    account = posting.household_account(household)
    issuance = posting.system_account(household.community, AccountKind.ISSUANCE, Currency.POINTS)
    posting.post(community=household.community, kind=TxKind.AWARD, legs=[(issuance, -points), (account, points)],
                 actor=actor)
    account.refresh_from_db()
    return account


def fund_resident(resident, minutes: int, *, actor=None):
    """Credit ``minutes`` of time coins to the resident from the community's issuance account."""
    account = posting.resident_account(resident)
    issuance = posting.system_account(resident.community, AccountKind.ISSUANCE, Currency.TIME)
    posting.post(community=resident.community, kind=TxKind.SERVICE, legs=[(issuance, -minutes), (account, minutes)],
                 actor=actor)
    account.refresh_from_db()
    return account


def make_household_user(building, username: str, *, name: str = "张三", **resident_kwargs):
    """A household with one resident who has a login with the resident role on the community."""
    household = make_household(building)
    resident = make_resident(household, name=name, **resident_kwargs)
    user = make_user(username, Role.RESIDENT, place=household.community, resident=resident)
    return household, resident, user


class StaffUsers(dict):
    """Staff logins made on first use (most tests need one or two of them)."""

    def __init__(self, tree):
        super().__init__()
        self.tree = tree

    def __missing__(self, username):
        role, place = STAFF[username]
        user = make_user(username, role, place=getattr(self.tree, place) if place else None)
        self[username] = user
        return user


@contextmanager
def undone():
    """Run a block, then roll its writes back (a savepoint): one world serves a whole role matrix.
    Fetch the users before entering: a user made inside would be rolled back too."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


@dataclass
class LedgerWorld:
    """Community A (军门) with grids A1, A2; community B (斗池). One resident user per household."""

    tree: object
    users: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)
    residents: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    behavior_list: object = None


STAFF = {
    "admin": (Role.ADMIN, None),
    "secretary_a": (Role.SECRETARY, "community_a"),
    "worker_a": (Role.COMMUNITY_WORKER, "community_a"),
    "grid_a1": (Role.GRID_WORKER, "grid_a1"),
    "grid_a2": (Role.GRID_WORKER, "grid_a2"),
    "street": (Role.STREET_OFFICER, "street"),
    "secretary_b": (Role.SECRETARY, "community_b"),
}


def build_world() -> LedgerWorld:
    tree = make_tree()
    world = LedgerWorld(tree=tree, users=StaffUsers(tree))
    for key, building, name in (("a1", "A1-1", "张自己"), ("a2", "A2-1", "王邻居"), ("b", "B1-1", "钱斗池")):
        household, resident, user = make_household_user(tree.buildings[building], f"res_{key}", name=name)
        world.households[key], world.residents[key], world.users[f"res_{key}"] = household, resident, user
    # An elder in A1 (no login of her own) whose daughter res_a2 may act for her once a proxy is recorded.
    world.residents["elder"] = make_resident(world.households["a1"], name="刘奶奶", birth=dt.date(1940, 3, 1),
                                             male=False, relation=Relation.PARENT)
    secretary = world.users["secretary_a"]
    draft = points.create_draft(community=tree.community_a, actor=secretary, title="军门社区积分清单")
    world.items["P01"] = points.add_item(behavior_list=draft, actor=secretary, code="P01", polarity=Polarity.POSITIVE,
                                         category=BehaviorCategory.VOLUNTEERING, name="参加志愿服务", points=10,
                                         evidence_required=True, cap_points=20, cap_period=CapPeriod.MONTH)
    world.items["P02"] = points.add_item(behavior_list=draft, actor=secretary, code="P02", polarity=Polarity.POSITIVE,
                                         category=BehaviorCategory.SELF_GOVERNANCE, name="参加居民议事会", points=5,
                                         evidence_required=False)
    world.items["N01"] = points.add_item(behavior_list=draft, actor=secretary, code="N01", polarity=Polarity.NEGATIVE,
                                         category=BehaviorCategory.PACT, name="高空抛物", points=20,
                                         evidence_required=True)
    world.behavior_list = points.publish_list(behavior_list=draft, actor=secretary)
    return world
