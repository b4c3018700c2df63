"""Resident, merchant and organisation pages under /my/catalog/, through the Django test client."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from gongzhi.accounts.enums import Role
from gongzhi.catalog import market, workflow
from gongzhi.catalog.models import (
    Application,
    Booking,
    MerchantStaff,
    ServiceCategory,
    ServiceItem,
    ServiceOrder,
    SharedResource,
)
from gongzhi.registry.models import ResidentUnit
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree = make_tree()
    a = tree.community_a
    home = make_household(tree.buildings["A1-1"])
    me = make_resident(home, name="陈美玲", male=False)
    mother = make_resident(home, name="林秀英", birth=dt.date(1948, 3, 2), male=False, relation="parent")
    neighbour = make_resident(make_household(tree.buildings["A1-2"]), name="王大伟")
    category = ServiceCategory.objects.create(code="C09", name="民政", sort=9)
    online = ServiceItem.objects.create(category=category, code="C09-03", name="高龄津贴申领", channel="both",
                                        time_limit_days=5, materials=["户口簿", "银行卡"])
    hall = ServiceItem.objects.create(category=category, code="C09-04", name="低保申请", channel="hall",
                                      time_limit_days=20)
    cleaner = ResidentUnit.objects.create(community=a, kind="merchant", name="金太阳家政",
                                          business_phone="0591-87654321")
    barber = ResidentUnit.objects.create(community=a, kind="merchant", name="老街理发")
    org = ResidentUnit.objects.create(community=a, kind="social_organization", name="邻里互助社")
    other_org = ResidentUnit.objects.create(community=a, kind="social_organization", name="书香读书会")
    users = {
        "me": make_user("resident", Role.RESIDENT, place=a, resident=me),
        "neighbour": make_user("neighbour", Role.RESIDENT, place=a, resident=neighbour),
        "worker": make_user("worker", Role.COMMUNITY_WORKER, place=a),
        "merchant": make_user("merchant", Role.MERCHANT, place=a),
        "barber": make_user("barber", Role.MERCHANT, place=a),
        "org": make_user("org", Role.SOCIAL_ORGANIZATION, place=a),
        "other_org": make_user("other_org", Role.SOCIAL_ORGANIZATION, place=a),
    }
    MerchantStaff.objects.create(user=users["merchant"], unit=cleaner)
    MerchantStaff.objects.create(user=users["barber"], unit=barber)
    MerchantStaff.objects.create(user=users["org"], unit=org)
    MerchantStaff.objects.create(user=users["other_org"], unit=other_org)
    service = market.offer_service(actor=users["merchant"], unit=cleaner, kind="cleaning", name="日常保洁",
                                   price_text="60元/2小时")
    market.offer_service(actor=users["barber"], unit=barber, kind="haircut", name="上门理发")
    parking = SharedResource.objects.create(unit=cleaner, path=a.path, name="错时停车位", capacity=1,
                                            available_from=dt.time(0, 0), available_until=dt.time(23, 59))
    return {"tree": tree, "me": me, "mother": mother, "neighbour": neighbour, "online": online, "hall": hall,
            "cleaner": cleaner, "org": org, "other_org": other_org, "service": service, "parking": parking,
            "users": users}


def zh(msgid: str) -> str:
    """The message as the page shows it: in the default language, zh-Hans."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def local(days: int, hour: int) -> str:
    """A datetime-local form value."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def test_pages_need_a_login():
    response = Client().get("/my/catalog/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_search_is_htmx_friendly_and_hides_hall_only_items(world):
    c = client_for(world["users"]["me"])
    full = c.get("/my/catalog/items/", {"q": "高龄"})
    assert full.status_code == 200
    assert "<html" in full.content.decode()
    fragment = c.get("/my/catalog/items/", {"q": "民政"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "高龄津贴申领" in fragment
    assert "低保申请" not in fragment  # hall only: not offered online


def test_resident_applies_for_a_parent_and_tracks_it(world):
    c = client_for(world["users"]["me"])
    page = c.get("/my/catalog/items/C09-03/apply/").content.decode()
    assert "户口簿" in page
    assert "林秀英" in page
    assert "王大伟" not in page
    response = c.post("/my/catalog/items/C09-03/apply/", {"resident": world["mother"].pk, "note": "母亲82岁"})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/my/catalog/applications/{application.pk}/"
    assert (application.resident, application.channel, application.status, application.created_by) == (
        world["mother"], "online", "submitted", world["users"]["me"])
    workflow.transition(application, "request_materials", actor=world["users"]["worker"], missing=["银行卡复印件"])
    page = c.get(f"/my/catalog/applications/{application.pk}/").content.decode()
    assert "银行卡复印件" in page
    assert 'value="resubmit"' in page
    c.post(f"/my/catalog/applications/{application.pk}/", {"action": "resubmit", "note": "已上传"})
    application.refresh_from_db()
    assert (application.status, application.missing_materials) == ("submitted", [])
    c.post(f"/my/catalog/applications/{application.pk}/", {"action": "withdraw"})
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert list(application.events.values_list("action", flat=True)) == [
        "submit", "request_materials", "resubmit", "withdraw"]
    assert "高龄津贴申领" in c.get("/my/catalog/").content.decode()


def test_resident_cannot_accept_their_own_application(world):
    c = client_for(world["users"]["me"])
    c.post("/my/catalog/items/C09-03/apply/", {})
    application = Application.objects.get()
    response = c.post(f"/my/catalog/applications/{application.pk}/", {"action": "accept"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"


def test_apply_refuses_hall_only_items_and_strangers(world):
    c = client_for(world["users"]["me"])
    hall = c.post("/my/catalog/items/C09-04/apply/", {}, follow=True)
    assert zh("This item can only be handled at the service hall.") in hall.content.decode()
    stranger = c.post("/my/catalog/items/C09-03/apply/", {"resident": world["neighbour"].pk}, follow=True)
    assert zh("Choose someone of your household.") in stranger.content.decode()
    assert Application.objects.count() == 0
    assert c.get("/my/catalog/items/NOPE/apply/").status_code == 404
    merchant = client_for(world["users"]["merchant"])  # no resident record: cannot apply
    assert merchant.post("/my/catalog/items/C09-03/apply/", {}).status_code == 403
    assert Application.objects.count() == 0


def test_application_of_another_household_is_not_found(world):
    c = client_for(world["users"]["me"])
    c.post("/my/catalog/items/C09-03/apply/", {})
    application = Application.objects.get()
    neighbour = client_for(world["users"]["neighbour"])
    assert neighbour.get(f"/my/catalog/applications/{application.pk}/").status_code == 404
    assert neighbour.post(f"/my/catalog/applications/{application.pk}/", {"action": "withdraw"}).status_code == 404
    assert "高龄津贴申领" not in neighbour.get("/my/catalog/").content.decode()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_order_follow_merchant_moves_and_resident_rates(world):
    me = client_for(world["users"]["me"])
    directory = me.get("/my/catalog/services/").content.decode()
    assert "日常保洁" in directory
    assert "上门理发" in directory
    assert "上门理发" not in me.get("/my/catalog/services/", {"kind": "cleaning"}).content.decode()
    response = me.post("/my/catalog/services/", {"service": world["service"].pk, "resident": world["me"].pk,
                                                 "wanted_at": local(1, 9), "note": "周六上午"})
    order = ServiceOrder.objects.get()
    assert response["Location"] == f"/my/catalog/orders/{order.pk}/"
    assert order.note == "周六上午"

    merchant = client_for(world["users"]["merchant"])
    listing = merchant.get("/my/catalog/merchant/").content.decode()
    assert f'id="order-{order.pk}"' in listing
    assert 'value="accept"' in listing
    assert world["me"].household.address not in listing  # the address only once accepted
    row = merchant.post("/my/catalog/merchant/", {"order": order.pk, "action": "accept"}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    body = row.content.decode()
    assert "<html" not in body
    assert 'value="complete"' in body
    assert world["me"].household.address in body
    again = merchant.post("/my/catalog/merchant/", {"order": order.pk, "action": "accept"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 422
    merchant.post("/my/catalog/merchant/", {"order": order.pk, "action": "complete"})
    order.refresh_from_db()
    assert order.status == "done"

    page = me.get(f"/my/catalog/orders/{order.pk}/").content.decode()
    assert 'name="rating"' in page
    me.post(f"/my/catalog/orders/{order.pk}/", {"action": "rate", "rating": "4", "comment": "很干净"})
    twice = me.post(f"/my/catalog/orders/{order.pk}/", {"action": "rate", "rating": "1"}, follow=True)
    assert zh("This order has been rated already.") in twice.content.decode()
    order.refresh_from_db()
    assert (order.rating, order.rating_comment) == (4, "很干净")


def test_merchants_see_only_their_own_units_orders(world):
    order = market.place_order(actor=world["users"]["me"], service=world["service"], resident=world["me"],
                               wanted_at=timezone.now() + dt.timedelta(days=1))
    barber = client_for(world["users"]["barber"])
    assert f"order-{order.pk}" not in barber.get("/my/catalog/merchant/").content.decode()
    assert barber.get("/my/catalog/merchant/", {"unit": world["cleaner"].pk}).content.decode().count(
        f"order-{order.pk}") == 0
    assert barber.post("/my/catalog/merchant/", {"order": order.pk, "action": "accept",
                                                 "unit": world["cleaner"].pk}).status_code == 404
    assert client_for(world["users"]["me"]).get("/my/catalog/merchant/").status_code == 404
    neighbour = client_for(world["users"]["neighbour"])
    assert neighbour.get(f"/my/catalog/orders/{order.pk}/").status_code == 404
    assert neighbour.post(f"/my/catalog/orders/{order.pk}/", {"action": "cancel"}).status_code == 404
    order.refresh_from_db()
    assert order.status == "ordered"


def test_book_a_shared_resource_and_cancel(world):
    me = client_for(world["users"]["me"])
    assert "错时停车位" in me.get("/my/catalog/resources/").content.decode()
    form = {"resource": world["parking"].pk, "resident": world["me"].pk, "starts_at": local(1, 9),
            "ends_at": local(1, 11)}
    assert me.post("/my/catalog/resources/", form)["Location"] == "/my/catalog/"
    full = me.post("/my/catalog/resources/", form, follow=True).content.decode()
    assert zh("Fully booked for that time.") in full
    bad = me.post("/my/catalog/resources/", {**form, "starts_at": "tomorrow"}, follow=True).content.decode()
    assert zh("Enter a date and time.") in bad
    booking = Booking.objects.get()
    assert zh("Cancel booking") in me.get("/my/catalog/").content.decode()
    assert client_for(world["users"]["neighbour"]).post(f"/my/catalog/bookings/{booking.pk}/cancel/").status_code == 404
    me.post(f"/my/catalog/bookings/{booking.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.cancelled is True


def test_organisation_sees_only_its_own_incubation(world):
    incubation = market.apply_for_incubation(actor=world["users"]["worker"], organization=world["org"],
                                             field="邻里互助")
    market.advance_incubation(actor=world["users"]["worker"], incubation=incubation, mentor="李老师")
    market.add_project(actor=world["users"]["worker"], organization=world["org"], title="空巢老人探访",
                       funding="government", budget_fen=2_000_000, starts_on=dt.date(2026, 3, 1),
                       ends_on=dt.date(2026, 12, 31))
    page = client_for(world["users"]["org"]).get("/my/catalog/organization/").content.decode()
    assert "邻里互助社" in page
    assert "李老师" in page
    assert "空巢老人探访" in page
    assert "20000" in page
    other = client_for(world["users"]["other_org"])
    mine = other.get("/my/catalog/organization/", {"unit": world["org"].pk}).content.decode()
    assert "书香读书会" in mine
    assert "李老师" not in mine
    assert "空巢老人探访" not in mine
    assert client_for(world["users"]["merchant"]).get("/my/catalog/organization/").status_code == 404
    assert client_for(world["users"]["me"]).get("/my/catalog/organization/").status_code == 404


def test_bad_ids_are_refused_with_a_message_not_a_500(world):
    me = client_for(world["users"]["me"])
    order = me.post("/my/catalog/services/", {"service": "abc", "wanted_at": local(1, 9)}, follow=True)
    assert zh("Choose a service.") in order.content.decode()
    book = me.post("/my/catalog/resources/", {"resource": "1e9", "starts_at": local(1, 9)}, follow=True)
    assert zh("Choose what to book.") in book.content.decode()
    merchant = client_for(world["users"]["merchant"])
    assert merchant.post("/my/catalog/merchant/", {"order": "x", "action": "accept"}).status_code == 404
    assert ServiceOrder.objects.count() == Booking.objects.count() == 0
