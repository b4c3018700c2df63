import random

import pytest

from gongzhi.appeals import seeding
from gongzhi.appeals.models import Appeal
from gongzhi.core.seeding import SeedContext
from tests.factories.appeals import make_world
from tests.factories.registry import make_household, make_resident

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_every_kind_of_state_and_the_public_board(api):
    world = make_world()
    for n in range(5):
        make_resident(make_household(world.tree.buildings["A2-1"], room_no=f"{n + 1}01"), name=f"居民{n}号")
    ctx = SeedContext(profile="city", rng=random.Random(7), communities=[world.tree.community_a], log=lambda _m: None)

    counts = seeding.seed_demo(ctx)

    assert counts["appeals"] == 20
    statuses = set(Appeal.objects.values_list("status", flat=True))
    assert "closed" in statuses
    assert len(statuses) >= 5
    public = api().get("/api/v1/public/appeals").json()
    assert public["count"] == counts["appeals_closed"] == Appeal.objects.filter(status="closed").count()
    assert counts["responsibility_lists"] == 1
