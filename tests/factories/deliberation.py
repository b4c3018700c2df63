"""Factories for deliberation: residents who log in, proposals, ballots — all through the services."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.deliberation.enums import BallotMode, BallotRule, MatterKind, ProposalSource
from gongzhi.deliberation.services import ballots as ballot_services
from gongzhi.deliberation.services import proposals as proposal_services
from gongzhi.registry.enums import Relation

from .accounts import make_user
from .registry import make_household, make_resident

_seq = itertools.count(1)


def make_resident_user(household=None, *, building=None, name: str = "李四", area: str = "88.50",
                       relation: str = Relation.HEAD, birth: dt.date = dt.date(1970, 3, 1), owner: bool = True):
    """A resident with a login (role resident on their community), in a new household unless given."""
    if household is None:
        household = make_household(building, area=area)
        if not owner:
            household.is_owner_occupied = False
            household.save(update_fields=["is_owner_occupied"])
    resident = make_resident(household, name=name, relation=relation, birth=birth)
    user = make_user(f"res{next(_seq)}", Role.RESIDENT, place=household.community, resident=resident)
    return user, resident


def make_proposal(community, author, *, title: str = "加装电梯", actor=None, **kwargs):
    return proposal_services.submit_proposal(
        actor=actor, community=community, title=title, problem="老楼无电梯, 老人上下楼难",
        solution="申请加装电梯", author=author, source=kwargs.pop("source", ProposalSource.ONLINE), **kwargs)


def make_ballot(actor, community, electorate, *, rule=BallotRule.OWNERS_DOUBLE_MAJORITY, matter=MatterKind.MAJOR,
                mode=BallotMode.SECRET, online: bool = True, open_now: bool = True, **kwargs):
    now = timezone.now()
    window = {"opens_at": now - dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=7)} if online else {}
    ballot = ballot_services.create_ballot(
        actor=actor, community=community, title=kwargs.pop("title", "加装电梯表决"),
        question="是否同意为本楼加装电梯?", rule=rule, matter=matter, mode=mode, electorate=list(electorate),
        **window, **kwargs)
    if open_now:
        ballot = ballot_services.open_ballot(actor=actor, ballot=ballot)
    return ballot


def area(value: str) -> Decimal:
    return Decimal(value)
