"""The Junmen demo: the lift story decided by a computed owners' double majority, a project in progress,
last month's talk day with minutes, an open vote for the demo resident, the pact in force and filed.

``seed_demo`` runs here on a small hand-built community (the full ``gongzhi seed`` runs it too, in the
registry's seed tests)."""

import random
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.core.seeding import SeedContext
from gongzhi.deliberation.enums import BallotOutcome, BallotRule, BallotStatus, CharterStatus, MeetingKind
from gongzhi.deliberation.models import Ballot, CharterVersion, Meeting, Project
from gongzhi.deliberation.seeding import seed_demo
from gongzhi.deliberation.selectors import ballot_tally, project_progress
from gongzhi.registry.enums import Relation
from gongzhi.registry.models import Household
from tests.factories.accounts import make_user
from tests.factories.deliberation import make_resident_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


def test_junmen_demo_tells_the_lift_story():
    tree = make_tree()
    building = tree.buildings["A1-1"]
    resident01, _r = make_resident_user(building=building, name="演示居民", area="61.20")
    for i, area in enumerate(["58.30", "58.30", "72.15", "72.15", "88.00", "88.00", "95.40"]):
        household = make_household(building, area=area)
        make_resident(household, name=f"业主{i}")
        make_resident(household, name=f"配偶{i}", relation=Relation.SPOUSE)
    for key in ("A1-2", "A2-1"):
        make_resident(make_household(tree.buildings[key]), name=f"居民{key}")
    users = {"secretary": make_user("secretary", Role.SECRETARY, place=tree.community_a),
             "grid01": make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1), "resident01": resident01}
    ctx = SeedContext(profile="junmen", rng=random.Random(1), communities=[tree.community_a], users=users,
                      today=timezone.localdate(), log=lambda line: None)

    counts = seed_demo(ctx)

    assert counts["deliberation_proposals"] == 12
    lift = Ballot.objects.get(rule=BallotRule.OWNERS_DOUBLE_MAJORITY)
    assert lift.electorate.get() == building
    owner_areas = list(Household.objects.filter(building=building, is_owner_occupied=True)
                       .values_list("floor_area", flat=True))
    result = ballot_tally(lift)
    assert (result.eligible.count, result.eligible.area) == (8, sum(owner_areas, Decimal("0.00")))
    assert lift.outcome == result.outcome == BallotOutcome.APPROVED
    project = Project.objects.get(proposal=lift.proposal)
    assert (project.status, project_progress(project), project.budget_fen) == ("in_progress", 25, 52_000_000)
    talk_day = Meeting.objects.get(kind=MeetingKind.TALK_DAY, status="closed")
    assert talk_day.minutes.startswith("本月居民恳谈日")
    assert timezone.localtime(talk_day.starts_at).day == 10
    pact = CharterVersion.objects.get()
    assert (pact.status, pact.filed_with) == (CharterStatus.ADOPTED, "东街街道办事处")

    client = Client()
    client.force_login(resident01)
    open_votes = client.get("/api/v1/deliberation/ballots", {"status": BallotStatus.OPEN}).json()
    assert [b["rule"] for b in open_votes["items"]] == ["per_household"]
    mine = client.get(f"/api/v1/deliberation/ballots/{open_votes['items'][0]['id']}/my-vote").json()
    assert (mine["entitled"], mine["voted"]) == (True, False)


def test_city_profile_adds_nothing():
    assert seed_demo(SeedContext(profile="city", rng=random.Random(1), communities=[])) == {}
