import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.catalog import market
from gongzhi.catalog.models import Booking, MerchantStaff, ServiceOrder, SharedResource
from gongzhi.registry.models import ResidentUnit
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    tree = make_tree()
    a = tree.community_a
    cleaner = ResidentUnit.objects.create(community=a, kind="merchant", name="金太阳家政", address="东街88号",
                                          business_phone="0591-87654321")
    unit = ResidentUnit.objects.create(community=a, kind="unit", name="鼓楼区图书馆", address="东街1号")
    org = ResidentUnit.objects.create(community=a, kind="social_organization", name="邻里互助社")
    resident = make_resident(make_household(tree.buildings["A1-1"]), name="陈美玲", male=False)
    outsider = make_resident(make_household(tree.buildings["B1-1"]), name="周建华")
    merchant_user = make_user("merchant01", Role.MERCHANT, place=a)
    MerchantStaff.objects.create(user=merchant_user, unit=cleaner)
    worker = make_user("worker", Role.COMMUNITY_WORKER, place=a)
    service = market.offer_service(actor=merchant_user, unit=cleaner, kind="cleaning", name="日常保洁",
                                   price_text="60元/2小时", hours="8:00-18:00")
    return {"tree": tree, "cleaner": cleaner, "unit": unit, "org": org, "resident": resident,
            "outsider": outsider, "merchant": merchant_user, "worker": worker, "service": service,
            "resident_user": make_user("resident01", Role.RESIDENT, place=a, resident=resident)}


def test_directory_is_public_and_per_community(world, api):
    body = api().get("/api/v1/market/directory", community=world["tree"].community_a.pk).json()
    assert [(i["name"], i["merchant"], i["kind"]) for i in body["items"]] == [("日常保洁", "金太阳家政", "cleaning")]
    assert api().get("/api/v1/market/directory", community=world["tree"].community_b.pk).json()["count"] == 0
    assert api().get("/api/v1/market/directory", community="x").status_code == 422


def test_order_accept_complete_rate(world, api):
    resident = api(world["resident_user"])
    wanted = (timezone.now() + dt.timedelta(days=1)).isoformat()
    created = resident.post("/api/v1/market/service-orders", {"service_id": world["service"].pk,
                                                              "resident_id": world["resident"].pk,
                                                              "wanted_at": wanted, "note": "周六上午"})
    assert created.status_code == 201, created.content
    order = created.json()["id"]
    too_early = resident.post(f"/api/v1/market/service-orders/{order}/rating", {"rating": 5})
    assert too_early.status_code == 422
    assert resident.post(f"/api/v1/market/service-orders/{order}/actions/accept").status_code == 403
    merchant = api(world["merchant"])
    assert merchant.get("/api/v1/market/service-orders").json()["count"] == 1
    assert merchant.post(f"/api/v1/market/service-orders/{order}/actions/accept").json()["status"] == "accepted"
    assert merchant.post(f"/api/v1/market/service-orders/{order}/actions/complete").json()["status"] == "done"
    rated = resident.post(f"/api/v1/market/service-orders/{order}/rating", {"rating": 5, "comment": "很干净"})
    assert rated.json()["rating"] == 5
    assert resident.post(f"/api/v1/market/service-orders/{order}/rating", {"rating": 1}).status_code == 422
    assert ServiceOrder.objects.get(pk=order).rating == 5


def test_order_for_someone_else_is_refused(world, api):
    wanted = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api(world["resident_user"]).post("/api/v1/market/service-orders", {
        "service_id": world["service"].pk, "resident_id": world["outsider"].pk, "wanted_at": wanted})
    assert response.status_code == 404
    other_merchant = make_user("merchant02", Role.MERCHANT, place=world["tree"].community_a)
    assert api(other_merchant).get("/api/v1/market/service-orders").json()["count"] == 0
    assert ServiceOrder.objects.count() == 0


def test_off_hours_parking_never_overbooked(world, api):
    parking = SharedResource.objects.create(unit=world["unit"], path=world["tree"].community_a.path,
                                            name="错时共享停车位", capacity=1, available_from=dt.time(19, 0),
                                            available_until=dt.time(7, 30))
    tonight = timezone.localtime().replace(hour=20, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    client = api(world["resident_user"])
    body = {"resident_id": world["resident"].pk, "starts_at": tonight.isoformat(),
            "ends_at": (tonight + dt.timedelta(hours=11)).isoformat()}
    assert client.post(f"/api/v1/market/shared-resources/{parking.pk}/bookings", body).status_code == 201
    full = client.post(f"/api/v1/market/shared-resources/{parking.pk}/bookings", body)
    assert full.status_code == 422
    daytime = {**body, "starts_at": (tonight - dt.timedelta(hours=8)).isoformat(),
               "ends_at": (tonight - dt.timedelta(hours=6)).isoformat()}
    assert client.post(f"/api/v1/market/shared-resources/{parking.pk}/bookings", daytime).status_code == 422
    assert Booking.objects.count() == 1


def test_jobs_incubation_and_five_party_view(world, api):
    market.post_job(actor=world["merchant"], unit=world["cleaner"], title="保洁员", description="社区内上门保洁",
                    pay_text="4000元/月")
    jobs = api().get("/api/v1/market/jobs", community=world["tree"].community_a.pk).json()
    assert [j["title"] for j in jobs["items"]] == ["保洁员"]
    incubation = market.apply_for_incubation(actor=world["worker"], organization=world["org"], field="邻里互助")
    market.advance_incubation(actor=world["worker"], incubation=incubation, mentor="李老师")
    with pytest.raises(market.Forbidden):
        market.advance_incubation(actor=world["merchant"], incubation=incubation)
    market.add_project(actor=world["worker"], organization=world["org"], title="空巢老人探访", funding="venture",
                       budget_fen=2_000_000, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 12, 31))
    orgs = api().get("/api/v1/market/social-organizations", community=world["tree"].community_a.pk).json()
    assert orgs == [{"id": world["org"].pk, "name": "邻里互助社", "stage": "incubating", "field": "邻里互助",
                     "projects": 1}]
    view = api().get("/api/v1/market/five-party", community=world["tree"].community_a.pk).json()
    assert (view["social_organizations"], view["incubating"], view["projects"], view["social_workers"]) == (1, 1, 1, 1)
