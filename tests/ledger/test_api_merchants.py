"""A merchant's login (catalog's MerchantStaff) works its own shop items: sees their orders, hands them over with
the buyer's code, restocks, and reads the unit's account — nothing of another merchant or the community."""

import pytest

from gongzhi.catalog.models import MerchantStaff
from gongzhi.ledger.models import ShopItem
from gongzhi.ledger.services import shop
from gongzhi.registry.enums import ResidentUnitKind
from gongzhi.registry.models import ResidentUnit
from tests.factories.accounts import make_user
from tests.factories.ledger import fund_household

ITEMS, ORDERS = "/api/v1/ledger/shop/items", "/api/v1/ledger/shop/orders"


@pytest.fixture
def merchants(world):
    tree, worker = world.tree, world.users["worker_a"]
    units = {name: ResidentUnit.objects.create(community=tree.community_a, kind=ResidentUnitKind.MERCHANT, name=name)
             for name in ("老王理发", "便民超市")}
    for login, unit in (("barber", "老王理发"), ("grocer", "便民超市")):
        world.users[login] = make_user(login)
        MerchantStaff.objects.create(user=world.users[login], unit=units[unit])
    world.shop_items = {
        "haircut": shop.create_item(community=tree.community_a, actor=worker, unit=units["老王理发"], name="理发一次",
                                    currency="points", price=20, stock=3),
        "towel": shop.create_item(community=tree.community_a, actor=worker, name="毛巾", currency="points", price=5,
                                  stock=9),
    }
    fund_household(world.households["a1"], 100)
    world.order = shop.place_order(item=world.shop_items["haircut"], resident=world.residents["a1"],
                                   actor=world.users["res_a1"], quantity=1)
    return world


def test_the_merchant_hands_over_its_order_and_its_account_is_credited(api, world, merchants):
    barber = api(world.users["barber"])

    listed = barber.get(ORDERS).json()["items"]
    handed = barber.post(f"{ORDERS}/{world.order.pk}/pickup", {"pickup_code": world.order.pickup_code})
    accounts = barber.get("/api/v1/ledger/accounts").json()["items"]

    assert [(o["item_name"], o["pickup_code"]) for o in listed] == [("理发一次", None)]  # the code stays the buyer's
    assert (handed.status_code, handed.json()["status"]) == (200, "picked_up")
    assert [(a["kind"], a["currency"], a["balance"]) for a in accounts] == [("unit", "points", 20)]


def test_another_merchant_sees_and_hands_over_nothing(api, world, merchants):
    grocer = api(world.users["grocer"])

    listed = grocer.get(ORDERS).json()["items"]
    handed = grocer.post(f"{ORDERS}/{world.order.pk}/pickup", {"pickup_code": world.order.pickup_code})
    restock = grocer.post(f"{ITEMS}/{world.shop_items['haircut'].pk}/restock", {"quantity": 5})
    accounts = grocer.get("/api/v1/ledger/accounts").json()["items"]

    assert listed == []
    assert handed.status_code == 404
    assert restock.status_code == 404
    assert accounts == []
    world.order.refresh_from_db()
    assert world.order.status == "placed"


def test_a_merchant_restocks_its_own_item_only(api, world, merchants):
    barber = api(world.users["barber"])

    own = barber.post(f"{ITEMS}/{world.shop_items['haircut'].pk}/restock", {"quantity": 5})
    community_item = barber.post(f"{ITEMS}/{world.shop_items['towel'].pk}/restock", {"quantity": 5})
    change = barber.patch(f"{ITEMS}/{world.shop_items['haircut'].pk}", {"price": 1})

    assert (own.status_code, own.json()["stock"]) == (200, 7)  # 3 − 1 ordered + 5
    assert community_item.status_code == 404
    assert change.status_code == 403  # prices are the community's to set
    assert list(ShopItem.objects.order_by("pk").values_list("stock", "price")) == [(7, 20), (9, 5)]
