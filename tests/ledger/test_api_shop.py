import pytest

from gongzhi.ledger.enums import AccountKind, Currency
from gongzhi.ledger.models import Account, ShopItem, ShopOrder
from gongzhi.ledger.services import posting
from gongzhi.ledger.verify import verify_ledger
from gongzhi.registry.enums import ResidentUnitKind
from gongzhi.registry.models import ResidentUnit
from tests.factories.ledger import fund_household, undone

ITEMS, ORDERS = "/api/v1/ledger/shop/items", "/api/v1/ledger/shop/orders"


@pytest.fixture
def item(api, world):
    body = {"community": world.tree.community_a.pk, "name": "洗衣液", "currency": "points", "price": 30, "stock": 2}
    return api(world.users["worker_a"]).post(ITEMS, body).json()


def test_creating_shop_items_matrix(api, world):
    matrix = [("admin", 201), ("secretary_a", 201), ("worker_a", 201), ("grid_a1", 403), ("street", 403),
              ("secretary_b", 404), ("res_a1", 403)]
    clients = {username: api(world.users[username]) for username, _s in matrix}
    body = {"community": world.tree.community_a.pk, "name": "毛巾", "currency": "points", "price": 10, "stock": 5}
    for username, status in matrix:
        with undone():
            response = clients[username].post(ITEMS, body)

            assert (username, response.status_code) == (username, status)
            assert (username, ShopItem.objects.count()) == (username, 1 if status == 201 else 0)


def test_order_pickup_settles_to_the_sink_and_only_the_buyer_sees_the_code(api, world, item):
    fund_household(world.households["a1"], 100)
    buyer, staff = api(world.users["res_a1"]), api(world.users["worker_a"])

    order = buyer.post(ORDERS, {"item": item["id"], "quantity": 2, "idempotency_key": "tap-1"}).json()
    replay = buyer.post(ORDERS, {"item": item["id"], "quantity": 2, "idempotency_key": "tap-1"}).json()
    seen_by_staff = staff.get(ORDERS).json()["items"][0]
    wrong = staff.post(f"{ORDERS}/{order['id']}/pickup", {"pickup_code": "000000" if order["pickup_code"] != "000000"
                                                                          else "111111"})
    done = staff.post(f"{ORDERS}/{order['id']}/pickup", {"pickup_code": order["pickup_code"]}).json()

    sink = posting.system_account(world.tree.community_a, AccountKind.SINK, Currency.POINTS)
    clearing = posting.system_account(world.tree.community_a, AccountKind.CLEARING, Currency.POINTS)
    assert (order["total"], order["status"], len(order["pickup_code"])) == (60, "placed", 6)
    assert replay["id"] == order["id"]
    assert seen_by_staff["pickup_code"] is None
    assert wrong.status_code == 422
    assert done["status"] == "picked_up"
    assert Account.objects.get(household=world.households["a1"]).balance == 40
    assert (sink.balance, clearing.balance) == (60, 0)
    assert ShopItem.objects.get(pk=item["id"]).stock == 0
    assert verify_ledger().ok


def test_cancel_refunds_and_restocks(api, world, item):
    fund_household(world.households["a1"], 100)
    buyer = api(world.users["res_a1"])
    order = buyer.post(ORDERS, {"item": item["id"]}).json()

    by_neighbour = api(world.users["res_a2"]).post(f"{ORDERS}/{order['id']}/cancel", {})
    cancelled = buyer.post(f"{ORDERS}/{order['id']}/cancel", {"reason": "不需要了"}).json()
    twice = buyer.post(f"{ORDERS}/{order['id']}/cancel", {})

    assert by_neighbour.status_code == 404
    assert cancelled["status"] == "cancelled"
    assert twice.status_code == 409
    assert Account.objects.get(household=world.households["a1"]).balance == 100
    assert ShopItem.objects.get(pk=item["id"]).stock == 2
    assert verify_ledger().ok


def test_short_balance_takes_no_stock_and_short_stock_takes_no_points(api, world, item):
    fund_household(world.households["a1"], 50)
    buyer = api(world.users["res_a1"])

    too_dear = buyer.post(ORDERS, {"item": item["id"], "quantity": 2})
    too_many = buyer.post(ORDERS, {"item": item["id"], "quantity": 3})

    assert (too_dear.status_code, too_dear.json()["code"]) == (409, "insufficient_balance")
    assert (too_many.status_code, too_many.json()["code"]) == (409, "out_of_stock")  # 2 left
    assert ShopItem.objects.get(pk=item["id"]).stock == 2
    assert Account.objects.get(household=world.households["a1"]).balance == 50
    assert ShopOrder.objects.count() == 0


def test_out_of_stock_is_a_409_and_charges_nothing(api, world, item):
    fund_household(world.households["a1"], 200)
    buyer = api(world.users["res_a1"])
    buyer.post(ORDERS, {"item": item["id"], "quantity": 2})

    response = buyer.post(ORDERS, {"item": item["id"]})

    assert (response.status_code, response.json()["code"]) == (409, "out_of_stock")
    assert Account.objects.get(household=world.households["a1"]).balance == 140


def test_another_communitys_resident_cannot_see_or_order_the_item(api, world, item):
    fund_household(world.households["b"], 100)
    outsider = api(world.users["res_b"])

    assert outsider.get(ITEMS).json()["count"] == 0
    assert outsider.post(ORDERS, {"item": item["id"]}).status_code == 404
    assert ShopItem.objects.get(pk=item["id"]).stock == 2


def test_merchant_item_in_time_coins_pays_the_merchant_on_pickup(api, world):
    from tests.factories.ledger import fund_resident

    unit = ResidentUnit.objects.create(community=world.tree.community_a, kind=ResidentUnitKind.MERCHANT,
                                       name="老街理发店")
    staff = api(world.users["secretary_a"])
    item = staff.post(ITEMS, {"community": world.tree.community_a.pk, "unit": unit.pk, "name": "理发一次",
                              "currency": "time", "price": 60, "stock": 3}).json()
    fund_resident(world.residents["a1"], 90)
    order = api(world.users["res_a1"]).post(ORDERS, {"item": item["id"]}).json()

    staff.post(f"{ORDERS}/{order['id']}/pickup", {"pickup_code": order["pickup_code"]})

    assert item["offered_by"] == "老街理发店"
    assert Account.objects.get(resident=world.residents["a1"]).balance == 30
    assert Account.objects.get(unit=unit, currency=Currency.TIME).balance == 60


def test_write_off_cannot_go_below_zero(api, world, item):
    staff = api(world.users["worker_a"])

    too_much = staff.post(f"{ITEMS}/{item['id']}/restock", {"quantity": -3})
    fine = staff.post(f"{ITEMS}/{item['id']}/restock", {"quantity": 8}).json()

    assert too_much.status_code == 409
    assert fine["stock"] == 10
