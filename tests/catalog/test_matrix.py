"""Role × action matrix for /api/v1/care/… and /api/v1/market/…: every action tried by every role.

One world per test; each role acts inside a savepoint that is rolled back, so every role meets the same
state. For every role the test records the HTTP status and whether the world changed; a refusal must
change nothing, and a success must change what it says.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.catalog import market
from gongzhi.catalog.models import (
    AfterSchoolAttendance,
    AfterSchoolEnrolment,
    AfterSchoolProgram,
    Booking,
    CheckupCampaign,
    CheckupRecord,
    ElderlyProfile,
    Incubation,
    JobPosting,
    MealDelivery,
    MerchantService,
    MerchantStaff,
    OrgProject,
    ServiceOrder,
    SharedResource,
)
from gongzhi.registry.models import ResidentUnit
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db

ROLES = ("resident", "resident_elsewhere", "grid_in", "grid_out", "worker", "secretary", "street",
         "merchant", "merchant_other", "org_staff", "anonymous")


def years_ago(n: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - n) - dt.timedelta(days=40)


@pytest.fixture
def world(api):
    tree = make_tree()
    a = tree.community_a
    home = make_household(tree.buildings["A1-1"])
    me = make_resident(home, name="陈美玲", birth=years_ago(45), male=False)
    elder = make_resident(home, name="卢希炯", birth=years_ago(82), relation="parent", tags=["living_alone"])
    child = make_resident(home, name="陈小雨", birth=years_ago(9), relation="child", male=False)
    elsewhere = make_resident(make_household(tree.buildings["B1-1"]), name="周建华")
    cleaner = ResidentUnit.objects.create(community=a, kind="merchant", name="金太阳家政",
                                          business_phone="0591-87654321")
    barber = ResidentUnit.objects.create(community=a, kind="merchant", name="老街理发")
    org = ResidentUnit.objects.create(community=a, kind="social_organization", name="邻里互助社")
    users = {
        "resident": make_user("resident", Role.RESIDENT, place=a, resident=me),
        "resident_elsewhere": make_user("elsewhere", Role.RESIDENT, place=tree.community_b, resident=elsewhere),
        "grid_in": make_user("grid_in", Role.GRID_WORKER, place=tree.grid_a1),
        "grid_out": make_user("grid_out", Role.GRID_WORKER, place=tree.grid_a2),
        "worker": make_user("worker", Role.COMMUNITY_WORKER, place=a),
        "secretary": make_user("secretary", Role.SECRETARY, place=a),
        "street": make_user("street", Role.STREET_OFFICER, place=tree.street),
        "merchant": make_user("merchant", Role.MERCHANT, place=a),
        "merchant_other": make_user("merchant_other", Role.MERCHANT, place=a),
        "org_staff": make_user("org_staff", Role.SOCIAL_ORGANIZATION, place=a),
    }
    MerchantStaff.objects.create(user=users["merchant"], unit=cleaner)
    MerchantStaff.objects.create(user=users["merchant_other"], unit=barber)
    MerchantStaff.objects.create(user=users["org_staff"], unit=org)
    service = market.offer_service(actor=users["merchant"], unit=cleaner, kind="cleaning", name="日常保洁")
    parking = SharedResource.objects.create(unit=cleaner, path=a.path, name="错时停车位", capacity=5,
                                            available_from=dt.time(0, 0), available_until=dt.time(23, 59))
    ElderlyProfile.objects.create(resident=elder, path=elder.path, meal_delivery=True, meal_note="低盐")
    campaign = CheckupCampaign.objects.create(community=a, path=a.path, year=timezone.localdate().year,
                                              title="体检")
    record = CheckupRecord.objects.create(campaign=campaign, resident=elder, path=elder.path)
    program = AfterSchoolProgram.objects.create(community=a, path=a.path, name="四点钟学校", capacity=30)
    clients = {role: api(user) for role, user in users.items()}
    clients["anonymous"] = api()
    return {"tree": tree, "me": me, "elder": elder, "child": child, "cleaner": cleaner, "barber": barber,
            "org": org, "service": service, "parking": parking, "campaign": campaign, "record": record,
            "program": program, "users": users, "clients": clients}


def tomorrow(hour: int = 10) -> dt.datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)


def run(world, act, state) -> dict:
    """Each role acts in a rolled-back savepoint: {role: (status, changed)}; a refusal must change nothing."""
    results = {}
    for role in ROLES:
        sid = transaction.savepoint()
        before = state()
        response = act(world["clients"][role])
        changed = state() != before
        transaction.savepoint_rollback(sid)
        results[role] = response.status_code
        if response.status_code >= 400:
            assert not changed, (role, response.status_code)
        elif response.request["REQUEST_METHOD"] != "GET":
            assert changed, role
    return results


def counts(world, act) -> dict:
    """For list endpoints: {role: count of rows seen, or the status when refused}."""
    out = {}
    for role in ROLES:
        response = act(world["clients"][role])
        body = response.json()
        if response.status_code != 200:
            out[role] = response.status_code
        else:
            out[role] = body["count"] if isinstance(body, dict) and "count" in body else len(body)
    return out


def expect(default, **overrides) -> dict:
    return {role: overrides.get(role, default) for role in ROLES}


STAFF_OF_A1 = {"grid_in": 200, "worker": 200, "secretary": 200}


# --- Care ----------------------------------------------------------------------------------------------

def test_elderly_list_is_a_staff_list(world):
    seen = counts(world, lambda c: c.get("/api/v1/care/elderly"))
    assert seen == expect(0, grid_in=1, worker=1, secretary=1, street=1, anonymous=401)


def test_update_elderly_profile(world):
    elder = world["elder"]

    def state():
        return list(ElderlyProfile.objects.values_list("chronic_conditions", "meal_note"))

    got = run(world, lambda c: c.put(f"/api/v1/care/elderly/{elder.pk}", {"chronic_conditions": "高血压"}), state)
    assert got == expect(404, resident=403, street=403, anonymous=401, **STAFF_OF_A1)


def test_issue_emergency_phone(world):
    elder = world["elder"]

    def state():
        return list(ElderlyProfile.objects.values_list("emergency_phone_issued_on", flat=True))

    got = run(world, lambda c: c.post("/api/v1/care/emergency-phones", {"resident_id": elder.pk}), state)
    assert got == expect(404, resident=403, street=403, anonymous=401, **STAFF_OF_A1)


def test_start_checkup_campaign(world):
    a = world["tree"].community_a
    year = timezone.localdate().year + 1

    def state():
        return CheckupCampaign.objects.count()

    got = run(world, lambda c: c.post("/api/v1/care/checkup-campaigns", {"community_id": a.pk, "year": year}),
              state)
    # Everyone linked to community A sees the community's place (public names); only its staff may act.
    assert got == expect(403, resident_elsewhere=404, grid_in=404, grid_out=404, worker=201, secretary=201,
                         anonymous=401)


def test_checkup_worklist_and_record(world):
    campaign, record = world["campaign"], world["record"]
    seen = counts(world, lambda c: c.get(f"/api/v1/care/checkup-campaigns/{campaign.pk}/records"))
    assert seen == expect(0, grid_in=1, worker=1, secretary=1, street=1, anonymous=401)

    def state():
        return list(CheckupRecord.objects.values_list("status", flat=True))

    got = run(world, lambda c: c.post(f"/api/v1/care/checkup-records/{record.pk}", {"status": "scheduled"}), state)
    assert got == expect(404, street=403, anonymous=401, **STAFF_OF_A1)


def test_meal_run_sheet_and_record(world):
    elder = world["elder"]
    seen = counts(world, lambda c: c.get("/api/v1/care/meals"))
    assert seen == expect(0, grid_in=1, worker=1, secretary=1, street=1, anonymous=401)

    def state():
        return MealDelivery.objects.count()

    got = run(world, lambda c: c.post("/api/v1/care/meals", {"resident_id": elder.pk}), state)
    assert got == expect(404, resident=403, street=403, anonymous=401, grid_in=201, worker=201, secretary=201)


def test_create_after_school_program(world):
    a = world["tree"].community_a

    def state():
        return AfterSchoolProgram.objects.count()

    got = run(world, lambda c: c.post("/api/v1/care/after-school/programs",
                                      {"community_id": a.pk, "name": "暑期托管", "capacity": 20}), state)
    assert got == expect(403, resident_elsewhere=404, grid_in=404, grid_out=404, worker=201, secretary=201,
                         anonymous=401)


def test_grid_worker_cannot_open_a_program_on_their_grid(world):
    grid = world["tree"].grid_a1
    response = world["clients"]["grid_in"].post("/api/v1/care/after-school/programs",
                                                {"community_id": grid.pk, "name": "网格托管", "capacity": 5})
    assert response.status_code == 422
    assert response.json()["field"] == "community"
    assert AfterSchoolProgram.objects.count() == 1


def test_enrol_child(world):
    program, child, me = world["program"], world["child"], world["me"]

    def state():
        return AfterSchoolEnrolment.objects.count()

    got = run(world, lambda c: c.post(f"/api/v1/care/after-school/programs/{program.pk}/enrolments",
                                      {"child_id": child.pk, "guardian_id": me.pk}), state)
    assert got == expect(404, resident=201, street=403, anonymous=401, grid_in=201, worker=201, secretary=201)


def test_record_attendance(world):
    enrolment = AfterSchoolEnrolment.objects.create(program=world["program"], child=world["child"],
                                                    guardian=world["me"], path=world["child"].path)

    def state():
        return AfterSchoolAttendance.objects.count()

    got = run(world, lambda c: c.post(f"/api/v1/care/after-school/enrolments/{enrolment.pk}/attendance",
                                      {"status": "present", "picked_up_by": "陈美玲"}), state)
    assert got == expect(404, street=403, anonymous=401, grid_in=201, worker=201, secretary=201)


# --- Market: orders -------------------------------------------------------------------------------------

def _order(world, status="ordered"):
    return ServiceOrder.objects.create(service=world["service"], resident=world["me"], path=world["me"].path,
                                       wanted_at=tomorrow(), status=status)


def _order_state():
    return list(ServiceOrder.objects.values_list("status", "rating"))


def test_directory_and_public_lists_are_open_to_all(world):
    a = world["tree"].community_a
    for url in ("directory", "jobs", "shared-resources", "social-organizations", "five-party"):
        statuses = {role: world["clients"][role].get(f"/api/v1/market/{url}", community=a.pk).status_code
                    for role in ROLES}
        assert statuses == expect(200), url


def test_place_order(world):
    body = {"service_id": world["service"].pk, "resident_id": world["me"].pk, "wanted_at": tomorrow().isoformat()}
    got = run(world, lambda c: c.post("/api/v1/market/service-orders", body), _order_state)
    assert got == expect(404, resident=201, grid_in=201, worker=201, secretary=201, street=403, anonymous=401)


def test_list_orders(world):
    _order(world)
    seen = counts(world, lambda c: c.get("/api/v1/market/service-orders"))
    assert seen == expect(0, resident=1, grid_in=1, worker=1, secretary=1, street=1, merchant=1, anonymous=401)


@pytest.mark.parametrize(("action", "status"), [("accept", "ordered"), ("complete", "accepted")])
def test_only_the_merchant_accepts_and_completes(world, action, status):
    order = _order(world, status)
    got = run(world, lambda c: c.post(f"/api/v1/market/service-orders/{order.pk}/actions/{action}"), _order_state)
    assert got == expect(404, resident=403, grid_in=403, worker=403, secretary=403, street=403, merchant=200,
                         anonymous=401)


def test_cancel_order(world):
    order = _order(world)
    got = run(world, lambda c: c.post(f"/api/v1/market/service-orders/{order.pk}/actions/cancel"), _order_state)
    assert got == expect(404, resident=200, grid_in=200, worker=200, secretary=200, street=403, merchant=200,
                         anonymous=401)


def test_only_the_household_rates(world):
    order = _order(world, "done")
    got = run(world, lambda c: c.post(f"/api/v1/market/service-orders/{order.pk}/rating", {"rating": 4}),
              _order_state)
    assert got == expect(404, resident=200, grid_in=403, worker=403, secretary=403, street=403, merchant=403,
                         anonymous=401)


def test_moved_out_resident_loses_the_old_household(world):
    order = _order(world)
    me = world["me"]
    me.status, me.archived_at = "archived", timezone.now()
    me.save(update_fields=["status", "archived_at"])
    client = world["clients"]["resident"]
    assert client.get("/api/v1/market/service-orders").json()["count"] == 0
    assert client.post(f"/api/v1/market/service-orders/{order.pk}/actions/cancel").status_code == 404
    assert ServiceOrder.objects.get(pk=order.pk).status == "ordered"


# --- Market: bookings -------------------------------------------------------------------------------------

def _booking_state():
    return list(Booking.objects.values_list("pk", "cancelled"))


def test_book_shared_resource(world):
    parking = world["parking"]
    body = {"resident_id": world["me"].pk, "starts_at": tomorrow(9).isoformat(),
            "ends_at": tomorrow(11).isoformat()}
    got = run(world, lambda c: c.post(f"/api/v1/market/shared-resources/{parking.pk}/bookings", body),
              _booking_state)
    assert got == expect(404, resident=201, grid_in=201, worker=201, secretary=201, street=403, anonymous=401)


def test_list_and_cancel_bookings(world):
    booking = Booking.objects.create(resource=world["parking"], resident=world["me"], starts_at=tomorrow(9),
                                     ends_at=tomorrow(11))
    seen = counts(world, lambda c: c.get("/api/v1/market/bookings"))
    assert seen == expect(0, resident=1, grid_in=1, worker=1, secretary=1, street=1, merchant=1, anonymous=401)
    got = run(world, lambda c: c.post(f"/api/v1/market/bookings/{booking.pk}/cancel"), _booking_state)
    assert got == expect(404, resident=200, grid_in=200, worker=200, secretary=200, street=403, merchant=403,
                         anonymous=401)


def test_started_booking_cannot_be_cancelled(world):
    booking = Booking.objects.create(resource=world["parking"], resident=world["me"],
                                     starts_at=timezone.now() - dt.timedelta(minutes=1),
                                     ends_at=timezone.now() + dt.timedelta(hours=1))
    response = world["clients"]["resident"].post(f"/api/v1/market/bookings/{booking.pk}/cancel")
    assert (response.status_code, response.json()["field"]) == (422, "booking")
    assert Booking.objects.get(pk=booking.pk).cancelled is False


# --- Market: what merchants, units and organisations publish ---------------------------------------------

def test_offer_service(world):
    cleaner = world["cleaner"]
    got = run(world, lambda c: c.post("/api/v1/market/services", {"unit_id": cleaner.pk, "kind": "repair",
                                                                  "name": "水电维修"}),
              lambda: MerchantService.objects.count())
    assert got == expect(404, merchant=201, worker=201, secretary=201, anonymous=401)


def test_post_job(world):
    cleaner = world["cleaner"]
    got = run(world, lambda c: c.post("/api/v1/market/jobs", {"unit_id": cleaner.pk, "title": "保洁员",
                                                              "description": "上门保洁"}),
              lambda: JobPosting.objects.count())
    assert got == expect(404, merchant=201, worker=201, secretary=201, anonymous=401)


def test_apply_for_incubation(world):
    org = world["org"]
    got = run(world, lambda c: c.post("/api/v1/market/incubations", {"organization_id": org.pk, "field": "助老"}),
              lambda: Incubation.objects.count())
    assert got == expect(404, org_staff=201, worker=201, secretary=201, anonymous=401)


def test_merchant_cannot_enter_the_incubator(world):
    response = world["clients"]["merchant"].post("/api/v1/market/incubations",
                                                 {"organization_id": world["cleaner"].pk, "field": "家政"})
    assert (response.status_code, response.json()["field"]) == (422, "organization")
    assert Incubation.objects.count() == 0


def test_incubation_record_and_advance(world):
    org = world["org"]
    incubation = market.apply_for_incubation(actor=world["users"]["org_staff"], organization=org, field="助老")
    seen = counts(world, lambda c: c.get("/api/v1/market/incubations"))
    assert seen == expect(0, org_staff=1, worker=1, secretary=1, street=1, anonymous=401)
    got = run(world, lambda c: c.post(f"/api/v1/market/incubations/{incubation.pk}/advance", {"mentor": "李老师"}),
              lambda: list(Incubation.objects.values_list("stage", flat=True)))
    assert got == expect(404, org_staff=403, worker=200, secretary=200, street=403, anonymous=401)


def test_add_project(world):
    org = world["org"]
    body = {"organization_id": org.pk, "title": "空巢老人探访", "funding": "government", "budget_fen": 5_000_000,
            "starts_on": "2026-03-01", "ends_on": "2026-12-31"}
    got = run(world, lambda c: c.post("/api/v1/market/projects", body), lambda: OrgProject.objects.count())
    assert got == expect(404, org_staff=403, worker=201, secretary=201, anonymous=401)


# --- Service hall: applications, certificates, 低保 pre-check, tasks sent to the community -----------------

@pytest.fixture
def hall(world):
    from gongzhi.catalog.models import ServiceCategory, ServiceItem

    category = ServiceCategory.objects.create(code="C09", name="民政", sort=9)
    item = ServiceItem.objects.create(category=category, code="C09-03", name="高龄津贴申领", channel="both")
    return {**world, "item": item}


def _application(hall):
    from gongzhi.catalog import services

    return services.submit_application(actor=hall["users"]["worker"], item=hall["item"], resident=hall["me"],
                                       channel="counter")


def _application_state():
    from gongzhi.catalog.models import Application

    return list(Application.objects.values_list("pk", "status"))


def test_list_applications(hall):
    _application(hall)
    seen = counts(hall, lambda c: c.get("/api/v1/applications"))
    assert seen == expect(0, resident=1, grid_in=1, worker=1, secretary=1, street=1, anonymous=401)


def test_submit_application(hall):
    body = {"item": "C09-03", "resident_id": hall["elder"].pk, "channel": "online"}
    got = run(hall, lambda c: c.post("/api/v1/applications", body), _application_state)
    assert got == expect(404, resident=201, grid_in=201, worker=201, secretary=201, street=403, anonymous=401)


@pytest.mark.parametrize(("action", "resident_may"), [("accept", False), ("withdraw", True)])
def test_act_on_application(hall, action, resident_may):
    application = _application(hall)
    got = run(hall, lambda c: c.post(f"/api/v1/applications/{application.pk}/actions/{action}", {}),
              _application_state)
    assert got == expect(404, resident=200 if resident_may else 403, grid_in=200, worker=200, secretary=200,
                         street=403, anonymous=401)


def test_issue_and_revoke_certificate(hall):
    from gongzhi.catalog import services
    from gongzhi.catalog.models import Certificate

    def state():
        return list(Certificate.objects.values_list("pk", "revoked_at"))

    body = {"resident_id": hall["me"].pk, "purpose": "子女入学"}
    got = run(hall, lambda c: c.post("/api/v1/certificates", body), state)
    # Printing shows the full ID number: the reveal roles in scope, street officers included.
    assert got == expect(404, resident=403, grid_in=201, worker=201, secretary=201, street=201, anonymous=401)
    certificate = services.issue_certificate(actor=hall["users"]["worker"], resident=hall["me"], purpose="开户")
    got = run(hall, lambda c: c.post(f"/api/v1/certificates/{certificate.pk}/revoke", {"reason": "信息有误"}),
              state)
    assert got == expect(404, resident=403, grid_in=200, worker=200, secretary=200, street=200, anonymous=401)


def test_low_income_check(hall):
    from gongzhi.catalog.models import LowIncomeCheck

    me = hall["me"]
    body = {"household_id": me.household_id,
            "incomes_fen": {str(me.pk): 80_000, str(hall["elder"].pk): 0, str(hall["child"].pk): 0}}
    got = run(hall, lambda c: c.post("/api/v1/low-income-checks", body), lambda: LowIncomeCheck.objects.count())
    assert got == expect(404, resident=403, grid_in=201, worker=201, secretary=201, street=403, anonymous=401)


def test_receive_task(hall):
    from gongzhi.catalog.models import AssignedTask

    a = hall["tree"].community_a
    body = {"community_id": a.pk, "title": "创建文明城市入户调查", "sender": "区文明办"}
    got = run(hall, lambda c: c.post("/api/v1/community-tasks", body), lambda: AssignedTask.objects.count())
    assert got == expect(403, resident_elsewhere=404, grid_in=404, grid_out=404, worker=201, secretary=201,
                         anonymous=401)
