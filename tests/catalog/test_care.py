import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.catalog.models import CheckupRecord, ElderlyProfile, MealDelivery
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


def years_ago(n: int, extra_days: int = 30) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - n) - dt.timedelta(days=extra_days)


@pytest.fixture
def world():
    tree = make_tree()
    home = make_household(tree.buildings["A1-1"])
    old_alone = make_resident(home, name="卢希炯", birth=years_ago(97), tags=["living_alone"])
    old = make_resident(make_household(tree.buildings["A1-2"]), name="郑玉兰", birth=years_ago(82), male=False)
    sixty = make_resident(make_household(tree.buildings["A1-2"]), name="黄国平", birth=years_ago(61))
    far = make_resident(make_household(tree.buildings["A2-1"]), name="吴秀英", birth=years_ago(85), male=False,
                        tags=["living_alone"])
    family = make_household(tree.buildings["A1-1"])
    parent = make_resident(family, name="林晓", birth=years_ago(38))
    child = make_resident(family, name="林小雨", birth=years_ago(9), relation="child", male=False)
    return {"tree": tree, "old_alone": old_alone, "old": old, "sixty": sixty, "far": far, "parent": parent,
            "child": child,
            "grid01": make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1),
            "worker": make_user("worker", Role.COMMUNITY_WORKER, place=tree.community_a),
            "secretary": make_user("secretary", Role.SECRETARY, place=tree.community_a),
            "dept": make_user("dept01", None)}


def test_secretary_lists_everyone_over_80_living_alone(world, api):
    body = api(world["secretary"]).get("/api/v1/care/elderly", min_age=80, living_alone="true").json()
    assert [i["name"] for i in body["items"]] == ["卢希炯", "吴秀英"]
    assert body["items"][0]["phone"].count("*") == 4
    grid = api(world["grid01"]).get("/api/v1/care/elderly", min_age=80, living_alone="true").json()
    assert [i["name"] for i in grid["items"]] == ["卢希炯"]  # grid 1 only
    assert api(world["dept"]).get("/api/v1/care/elderly").json()["count"] == 0


def test_profile_encrypts_emergency_phone_and_validates(world, api):
    client = api(world["grid01"])
    bad = client.put(f"/api/v1/care/elderly/{world['old_alone'].pk}", {"emergency_contact_phone": "12345"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "phone"
    ok = client.put(f"/api/v1/care/elderly/{world['old_alone'].pk}",
                    {"emergency_contact_name": "卢明", "emergency_contact_phone": "13905911234",
                     "meal_delivery": True, "meal_note": "低盐软食", "mobility": "assisted"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["emergency_contact_phone"] == "139****1234"
    profile = ElderlyProfile.objects.get(resident=world["old_alone"])
    assert "13905911234" not in profile.emergency_contact_phone_cipher
    out_of_scope = client.put(f"/api/v1/care/elderly/{world['far'].pk}", {"meal_delivery": True})
    assert out_of_scope.status_code == 404


def test_checkup_campaign_worklist_and_last_checkup(world, api):
    client = api(world["worker"])
    year = timezone.localdate().year
    started = client.post("/api/v1/care/checkup-campaigns", {"community_id": world["tree"].community_a.pk,
                                                            "year": year})
    assert started.status_code == 201, started.content
    assert started.json()["added"] == 4  # the four residents aged 60+ in community A
    again = client.post("/api/v1/care/checkup-campaigns", {"community_id": world["tree"].community_a.pk,
                                                          "year": year}).json()
    assert again["added"] == 0
    assert again["records"] == 4
    campaign_id = started.json()["id"]
    grid_list = api(world["grid01"]).get(f"/api/v1/care/checkup-campaigns/{campaign_id}/records").json()
    assert grid_list["count"] == 3  # grid 1's three
    record = CheckupRecord.objects.get(resident=world["old"])
    done = client.post(f"/api/v1/care/checkup-records/{record.pk}", {"status": "done", "on": f"{year}-05-20"})
    assert done.json()["status"] == "done"
    assert ElderlyProfile.objects.get(resident=world["old"]).last_checkup_on == dt.date(year, 5, 20)
    bad = client.post(f"/api/v1/care/checkup-records/{record.pk}", {"status": "finished"})
    assert bad.status_code == 422


def test_meal_run_sheet_and_delivery(world, api):
    client = api(world["worker"])
    client.put(f"/api/v1/care/elderly/{world['old'].pk}", {"meal_delivery": True, "meal_note": "软食"})
    sheet = client.get("/api/v1/care/meals").json()
    assert [(r["name"], r["done"]) for r in sheet] == [("郑玉兰", False)]
    assert client.post("/api/v1/care/meals", {"resident_id": world["old"].pk}).status_code == 201
    assert client.post("/api/v1/care/meals", {"resident_id": world["old"].pk}).status_code == 201  # once a day
    assert MealDelivery.objects.count() == 1
    assert client.get("/api/v1/care/meals").json()[0]["done"] is True
    not_listed = client.post("/api/v1/care/meals", {"resident_id": world["sixty"].pk})
    assert not_listed.status_code == 422


def test_emergency_phones_only_for_65_plus(world, api):
    client = api(world["worker"])
    worklist = client.get("/api/v1/care/elderly", min_age=65, without_emergency_phone="true").json()
    assert worklist["count"] == 3
    assert client.post("/api/v1/care/emergency-phones", {"resident_id": world["old"].pk}).status_code == 200
    assert client.post("/api/v1/care/emergency-phones", {"resident_id": world["old"].pk}).status_code == 422
    young = client.post("/api/v1/care/emergency-phones", {"resident_id": world["sixty"].pk})
    assert young.status_code == 422
    assert client.get("/api/v1/care/elderly", min_age=65, without_emergency_phone="true").json()["count"] == 2


def test_after_school_enrolment_capacity_and_attendance(world, api):
    client = api(world["worker"])
    program = client.post("/api/v1/care/after-school/programs", {
        "community_id": world["tree"].community_a.pk, "name": "四点钟学校", "capacity": 1}).json()
    wrong_guardian = client.post(f"/api/v1/care/after-school/programs/{program['id']}/enrolments",
                                 {"child_id": world["child"].pk, "guardian_id": world["old"].pk})
    assert wrong_guardian.status_code == 422
    too_old = client.post(f"/api/v1/care/after-school/programs/{program['id']}/enrolments",
                          {"child_id": world["parent"].pk, "guardian_id": world["child"].pk})
    assert too_old.status_code == 422
    ok = client.post(f"/api/v1/care/after-school/programs/{program['id']}/enrolments",
                     {"child_id": world["child"].pk, "guardian_id": world["parent"].pk})
    assert ok.status_code == 201
    twice = client.post(f"/api/v1/care/after-school/programs/{program['id']}/enrolments",
                        {"child_id": world["child"].pk, "guardian_id": world["parent"].pk})
    assert twice.status_code == 422  # full (capacity 1) and already enrolled
    enrolment = ok.json()["id"]
    no_pickup = client.post(f"/api/v1/care/after-school/enrolments/{enrolment}/attendance", {"status": "present"})
    assert no_pickup.status_code == 422
    present = client.post(f"/api/v1/care/after-school/enrolments/{enrolment}/attendance",
                          {"status": "present", "picked_up_by": "林晓"})
    assert present.status_code == 201
    outsider = api(make_user("grid02", Role.GRID_WORKER, place=world["tree"].grid_a2))
    assert outsider.post(f"/api/v1/care/after-school/enrolments/{enrolment}/attendance",
                         {"status": "absent"}).status_code == 404
