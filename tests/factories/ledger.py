"""Factories for the ledger: a community with a household, a published behaviour list, funded accounts."""

from gongzhi.accounts.enums import Role
from gongzhi.ledger.enums import AccountKind, Currency, TxKind
from gongzhi.ledger.services import posting
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident


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
