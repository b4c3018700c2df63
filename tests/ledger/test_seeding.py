import random

from gongzhi.core.seeding import SeedContext
from gongzhi.ledger import seeding as ledger_seeding
from gongzhi.ledger.models import Account, CareProvider
from gongzhi.ledger.verify import verify_ledger
from gongzhi.registry.enums import ResidentUnitKind
from gongzhi.registry.models import ResidentUnit
from gongzhi.volunteering import seeding as volunteering_seeding
from tests.factories.ledger import make_household_user


def test_demo_seed_fills_a_small_community_and_the_book_verifies(world):
    for n in range(6):
        make_household_user(world.tree.buildings["A1-2"], f"extra{n}", name=f"居民{n}")
    ResidentUnit.objects.create(community=world.tree.community_a, kind=ResidentUnitKind.MERCHANT, name="颐乐照护")
    ctx = SeedContext(profile="junmen", rng=random.Random(1), communities=[world.tree.community_a],
                      users={"secretary": world.users["secretary_a"], "resident01": world.users["res_a1"]})

    ledger_counts = ledger_seeding.seed_demo(ctx)
    volunteering_counts = volunteering_seeding.seed_demo(ctx)

    assert ledger_counts["points_awards"] > 10
    # 8 items of the community's and 1 of the merchant's
    assert (ledger_counts["shop_items"], ledger_counts["funds"], ledger_counts["fund_records"]) == (9, 3, 8)
    assert volunteering_counts["volunteer_teams"] == 6
    assert volunteering_counts["activities"] == 10
    assert Account.objects.get(household=world.households["a1"]).balance > 0
    assert ledger_counts["voucher_grants"] == 1  # 刘奶奶, 86, in a demo household
    assert Account.objects.get(resident=world.residents["elder"], currency="voucher").balance < 36_000  # she spent
    assert CareProvider.objects.get().unit.name == "颐乐照护"
    assert verify_ledger().ok


def test_city_profile_seeds_nothing_here(world):
    ctx = SeedContext(profile="city", rng=random.Random(1), communities=[world.tree.community_a])

    assert ledger_seeding.seed_demo(ctx) == {}
    assert volunteering_seeding.seed_demo(ctx) == {}
