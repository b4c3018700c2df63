"""The HTML pages render for the people who use them, refuse the others, and do what their forms say."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from gongzhi.ledger.models import Account, PointsAward
from gongzhi.ledger.services import funds, shop
from tests.factories.ledger import fund_household


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_console_pages_render_for_the_secretary(world):
    client = client_for(world.users["secretary_a"])
    for url in ("/console/ledger/", "/console/ledger/lists/", "/console/ledger/contests/",
                "/console/ledger/rankings/", "/console/ledger/shop/", "/console/ledger/funds/"):
        response = client.get(url)

        assert (url, response.status_code) == (url, 200)
        assert "军门社区" in response.content.decode()


@pytest.mark.parametrize(("username", "status"), [("res_a1", 404), ("secretary_b", 200)])
def test_console_points_page_shows_only_own_communities(world, username, status):
    response = client_for(world.users[username]).get(f"/console/ledger/?community={world.tree.community_a.pk}")

    assert response.status_code == status
    if status == 200:
        assert "斗池社区" in response.content.decode()
        assert "军门社区" not in response.content.decode()


def test_award_form_records_points(world):
    client = client_for(world.users["grid_a1"])
    building = world.households["a1"].building

    page = client.get(f"/console/ledger/?building={building.pk}")
    posted = client.post(f"/console/ledger/?building={building.pk}", {
        "household": world.households["a1"].pk, "item": world.items["P01"].pk, "evidence": "签到表"})

    assert world.households["a1"].door in page.content.decode()
    assert posted.status_code == 302
    assert Account.objects.get(household=world.households["a1"]).balance == 10


def test_award_form_refusal_is_a_message_not_an_error(world):
    client = client_for(world.users["grid_a1"])

    posted = client.post("/console/ledger/", {"household": world.households["a1"].pk,
                                              "item": world.items["P01"].pk, "evidence": ""}, follow=True)

    with translation.override("zh-hans"):  # the page answers in the default language
        expected = gettext("This item requires evidence.")
    assert posted.status_code == 200
    assert expected in posted.content.decode()
    assert PointsAward.objects.count() == 0


def test_award_form_for_another_grids_household_is_404(world):
    response = client_for(world.users["grid_a2"]).post("/console/ledger/", {
        "household": world.households["a1"].pk, "item": world.items["P02"].pk})

    assert response.status_code == 404
    assert PointsAward.objects.count() == 0


def test_portal_shows_balance_and_orders_with_a_pickup_code(world):
    fund_household(world.households["a1"], 50)
    item = shop.create_item(community=world.tree.community_a, actor=world.users["secretary_a"], name="环保袋",
                            currency="points", price=20, stock=3)
    client = client_for(world.users["res_a1"])

    home = client.get("/my/ledger/")
    ordered = client.post("/my/ledger/shop/", {"item": item.pk, "quantity": "2"}, follow=True)

    assert "50" in home.content.decode()
    assert ordered.status_code == 200
    assert Account.objects.get(household=world.households["a1"]).balance == 10
    order = item.orders.get()
    assert order.pickup_code in ordered.content.decode()


def test_public_page_needs_no_login_and_masks_donors(world):
    fund = funds.open_fund(community=world.tree.community_a, actor=world.users["secretary_a"], name="阳光基金")
    funds.record_fund_movement(fund=fund, actor=world.users["secretary_a"], kind="donation", amount=12345,
                               purpose="助学", counterparty="欧阳小明", counterparty_is_person=True)

    response = Client().get(f"/my/ledger/public/{world.tree.community_a.pk}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "欧***" in body
    assert "欧阳小明" not in body
    assert "¥123.45" in body
    assert "参加志愿服务" in body  # the published list


def test_portal_needs_a_linked_resident(world):
    response = client_for(world.users["secretary_a"]).get("/my/ledger/")

    assert response.status_code == 403
