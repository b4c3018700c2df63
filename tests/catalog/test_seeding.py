"""The demo community: the full catalogue, applications in every state, care lists, merchants with orders in
every state, bookings, and logins for a merchant and a social organisation. ``seed_demo`` runs here on a
small hand-built community."""

import datetime as dt
import random

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.catalog.enums import ApplicationStatus, OrderStatus
from gongzhi.catalog.models import Application, Booking, ElderlyProfile, ServiceItem, ServiceOrder
from gongzhi.catalog.seeding import seed_demo
from gongzhi.core.seeding import SeedContext
from gongzhi.registry.models import ResidentUnit
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_unit_logins():
    tree = make_tree()
    a = tree.community_a
    today = timezone.localdate()
    people = []
    for i in range(12):
        home = make_household(tree.buildings["A1-1" if i % 2 else "A2-1"])
        people.append(make_resident(home, name=f"居民{i}", birth=dt.date(today.year - 30 - i * 4, 3, 1)))
        make_resident(home, name=f"孩子{i}", birth=dt.date(today.year - 8, 5, 1), relation="child")
    ResidentUnit.objects.create(community=a, kind="merchant", name="金太阳家政", services="家政保洁、助浴")
    ResidentUnit.objects.create(community=a, kind="unit", name="鼓楼区图书馆", services="错时停车、阅览室")
    ResidentUnit.objects.create(community=a, kind="social_organization", name="邻里互助社", services="助老、探访")
    resident01 = make_user("resident01", Role.RESIDENT, place=a, resident=people[0])
    users = {"worker": make_user("worker", Role.COMMUNITY_WORKER, place=a), "resident01": resident01}
    ctx = SeedContext(profile="junmen", rng=random.Random(3), communities=[a], users=users, today=today,
                      log=lambda line: None)

    counts = seed_demo(ctx)

    assert counts["service_items"] == ServiceItem.objects.count() >= 140
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert set(ServiceOrder.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert ServiceOrder.objects.filter(rating__isnull=False).exclude(status="done").count() == 0
    assert ServiceOrder.objects.filter(rating__isnull=False).count() == 12
    assert (counts["service_orders"], counts["unit_logins"]) == (28, 2)
    assert Booking.objects.count() == counts["bookings"] == 4
    assert ElderlyProfile.objects.exists()

    demo = Client()
    demo.force_login(resident01)
    mine = demo.get("/my/catalog/").content.decode()
    household_applications = Application.objects.filter(household_id=people[0].household_id)
    assert mine.count("/my/catalog/applications/") == household_applications.count()
    assert sorted(household_applications.filter(created_by=resident01, channel="online")
                  .values_list("status", flat=True)) == ["completed", "missing_materials"]
    assert mine.count("/my/catalog/orders/") == ServiceOrder.objects.filter(
        resident__household_id=people[0].household_id).count()
    assert list(ServiceOrder.objects.filter(resident=people[0]).values_list("rating", flat=True)) == [5, 5, 5, 5]
    merchant = Client()
    merchant.force_login(ctx.users["merchant01"])
    assert merchant.get("/my/catalog/merchant/").content.decode().count('class="member-card" id="order-') == 28
    org = Client()
    org.force_login(ctx.users["org01"])
    assert "邻里互助社" in org.get("/my/catalog/organization/").content.decode()
