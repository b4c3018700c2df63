"""表决资格 — who may vote for whom: checks on registry rows, used when a ballot opens and on each vote."""

import datetime as dt

from django.utils import timezone

from gongzhi.registry.enums import Relation, ResidentStatus
from gongzhi.registry.models import Resident

from .enums import BallotRule

ADULT_AGE = 18  # 城市居民委员会组织法: 年满十八周岁的居民
# Who speaks for an owner-occupied household in an owners' vote: the registry does not record title
# deeds, so the head of household and their spouse stand for the owner.
OWNER_RELATIONS = frozenset({Relation.HEAD, Relation.SPOUSE})


def adult_born_before(on: dt.date) -> dt.date:
    """The latest birth date of someone aged ``ADULT_AGE`` on ``on``."""
    try:
        return on.replace(year=on.year - ADULT_AGE)
    except ValueError:  # 29 February
        return on.replace(year=on.year - ADULT_AGE, day=28)


def is_adult(resident: Resident, on: dt.date) -> bool:
    return resident.birth_date <= adult_born_before(on)


def may_vote_for_household(ballot, resident: Resident) -> bool:
    """May this resident cast their household's vote in a household or owners' ballot?"""
    if resident.status != ResidentStatus.ACTIVE:
        return False
    on = timezone.localdate(ballot.opened_at) if ballot.opened_at else timezone.localdate()
    if not is_adult(resident, on):
        return False
    if ballot.rule == BallotRule.OWNERS_DOUBLE_MAJORITY:
        return resident.relation in OWNER_RELATIONS
    return True
