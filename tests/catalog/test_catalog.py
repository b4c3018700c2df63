import datetime as dt

import pytest

from gongzhi.accounts.enums import Role
from gongzhi.catalog import services
from gongzhi.catalog.models import Application, AssignedTask, Certificate, ServiceCategory, ServiceItem
from gongzhi.core.models import AuditEvent
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    services.load_default_catalog()
    tree = make_tree()
    home = make_household(tree.buildings["A1-1"])
    resident = make_resident(home, name="陈美玲", male=False)
    other = make_resident(make_household(tree.buildings["A2-1"]), name="林建国")
    return {
        "tree": tree, "resident": resident, "other": other, "household": home,
        "grid01": make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1),
        "worker": make_user("worker", Role.COMMUNITY_WORKER, place=tree.community_a),
        "secretary": make_user("secretary", Role.SECRETARY, place=tree.community_a),
        "admin": make_user("admin", Role.ADMIN),
        "dept": make_user("dept01", None),
        "resident_user": make_user("resident01", Role.RESIDENT, place=tree.community_a, resident=resident),
    }


def test_default_catalog_has_33_categories_and_about_140_items():
    assert services.load_default_catalog() == (33, 142)
    assert ServiceCategory.objects.count() == 33
    assert ServiceItem.objects.count() == 142
    assert services.load_default_catalog() == (33, 142)  # idempotent
    assert ServiceItem.objects.count() == 142
    assert ServiceItem.objects.get(name="居住证明").certificate_kind == "residence"


def test_catalog_is_public(api):
    services.load_default_catalog()
    body = api().get("/api/v1/catalog/items", q="低保").json()
    assert [i["name"] for i in body["items"]] == ["最低生活保障申请"]


def test_certificate_issue_pdf_and_public_verification(world, api):
    client = api(world["grid01"])
    created = client.post("/api/v1/certificates", {"resident_id": world["resident"].pk, "purpose": "子女入学"})
    assert created.status_code == 201, created.content
    body = created.json()
    pdf = client.get(f"/api/v1/certificates/{body['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"WenQuanYi" in pdf.content or b"STSong" in pdf.content  # a CJK font, embedded

    verified = api().get(f"/api/v1/public/certificates/{body['verification_code']}").json()
    assert verified["status"] == "valid"
    assert verified["content"]["name"] == "陈**"
    assert verified["content"]["id_number"] == world["resident"].id_number_masked
    assert verified["registry_unchanged"] is True
    page = api().get(f"/verify/{body['verification_code']}/")
    assert page.status_code == 200
    assert 'data-status="valid"' in page.content.decode()
    # issuing and each rendering are audited; the rendering as a reveal of the ID number
    assert AuditEvent.objects.filter(action="create", target_type="catalog.certificate").count() == 1
    assert AuditEvent.objects.filter(action="reveal", target_id=str(world["resident"].pk)).count() == 1


def test_forged_code_is_unknown_and_revoked_is_revoked(world, api):
    cert = services.issue_certificate(actor=world["worker"], resident=world["resident"], purpose="开户")
    assert api().get("/api/v1/public/certificates/FORGED2345").json() == {"status": "unknown"}
    refused = api(world["worker"]).post(f"/api/v1/certificates/{cert.pk}/revoke", {"reason": ""})
    assert refused.status_code == 422
    assert api(world["worker"]).post(f"/api/v1/certificates/{cert.pk}/revoke",
                                     {"reason": "信息有误"}).status_code == 200
    result = api().get(f"/api/v1/public/certificates/{cert.verification_code.lower()}").json()
    assert (result["status"], result["revoke_reason"]) == ("revoked", "信息有误")


def test_expired_certificate_reported_expired(world):
    cert = services.issue_certificate(actor=world["worker"], resident=world["resident"], purpose="开户")
    Certificate.objects.filter(pk=cert.pk).update(valid_until=dt.date(2020, 1, 1))
    assert services.verify_certificate(cert.verification_code)["status"] == "expired"


def test_verification_notices_registry_change(world):
    cert = services.issue_certificate(actor=world["worker"], resident=world["resident"], purpose="开户")
    world["resident"].__class__.objects.filter(pk=world["resident"].pk).update(name="陈美")
    assert services.verify_certificate(cert.verification_code)["registry_unchanged"] is False


@pytest.mark.parametrize(("who", "target", "status"), [
    ("grid01", "resident", 201),  # own grid
    ("grid01", "other", 404),  # other grid: looks missing
    ("worker", "other", 201),
    ("admin", "resident", 403),  # administrators do not read personal data
    ("dept", "resident", 404),
    ("resident_user", "resident", 403),  # residents see themselves but cannot print certificates
])
def test_certificate_issue_scope(world, api, who, target, status):
    response = api(world[who]).post("/api/v1/certificates", {"resident_id": world[target].pk, "purpose": "开户"})
    assert response.status_code == status
    assert Certificate.objects.count() == (1 if status == 201 else 0)


def test_application_workflow_and_one_trip(world, api):
    client = api(world["worker"])
    created = client.post("/api/v1/applications", {"item": ServiceItem.objects.get(name="高龄补贴申领").code,
                                                   "resident_id": world["resident"].pk, "channel": "counter"})
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["trips"] == 1
    missing = client.post(f"/api/v1/applications/{app_id}/actions/request_materials", {"missing": []})
    assert missing.status_code == 422
    assert Application.objects.get(pk=app_id).status == "submitted"
    ok = client.post(f"/api/v1/applications/{app_id}/actions/request_materials", {"missing": ["银行卡"]})
    assert ok.json()["status"] == "missing_materials"
    resident = api(world["resident_user"])
    assert resident.post(f"/api/v1/applications/{app_id}/actions/resubmit", {}).json()["status"] == "submitted"
    assert resident.post(f"/api/v1/applications/{app_id}/actions/accept", {}).status_code == 403
    client.post(f"/api/v1/applications/{app_id}/actions/accept", {})
    done = client.post(f"/api/v1/applications/{app_id}/actions/complete", {"note": "已发放"}).json()
    assert (done["status"], done["at_most_one_trip"], done["result_note"]) == ("completed", True, "已发放")
    illegal = client.post(f"/api/v1/applications/{app_id}/actions/accept", {})
    assert illegal.status_code == 409
    detail = client.get(f"/api/v1/applications/{app_id}").json()
    assert [e["action"] for e in detail["events"]] == [
        "submit", "request_materials", "resubmit", "accept", "complete"]


def test_resident_applies_online_for_own_household_only(world, api):
    client = api(world["resident_user"])
    item = ServiceItem.objects.get(name="老年人优待证办理")
    mine = client.post("/api/v1/applications", {"item": item.code, "resident_id": world["resident"].pk})
    theirs = client.post("/api/v1/applications", {"item": item.code, "resident_id": world["other"].pk})
    hall_only = client.post("/api/v1/applications", {"item": ServiceItem.objects.get(name="残疾人证办理").code,
                                                     "resident_id": world["resident"].pk})
    assert (mine.status_code, theirs.status_code, hall_only.status_code) == (201, 404, 422)
    assert hall_only.json()["field"] == "channel"
    assert mine.json()["due_on"] is not None
    assert api(world["grid01"]).get("/api/v1/applications").json()["count"] == 1
    assert api(make_user("grid02", Role.GRID_WORKER, place=world["tree"].grid_a2)).get(
        "/api/v1/applications").json()["count"] == 0


@pytest.mark.parametrize(("members", "income", "assets", "line", "expected"), [
    # 3 people, 2,700 yuan a month: 900 per person, below a 950 line; assets 60,000 <= 3*24*950 = 68,400
    (3, 270_000, 6_000_000, 95_000, (90_000, True, True)),
    # exactly at the line is not below it
    (2, 190_000, 0, 95_000, (95_000, False, True)),
    # rounding half up to the fen: 100,001 / 3 = 33,333.67 -> 33,334
    (3, 100_001, 0, 95_000, (33_334, True, True)),
    # assets over 24 months of the line per person
    (1, 0, 2_280_001, 95_000, (0, True, False)),
])
def test_low_income_arithmetic(members, income, assets, line, expected):
    result = services.assess_low_income(members=members, monthly_income_fen=income, assets_fen=assets, line_fen=line)
    assert (result["per_capita_fen"], result["below_line"], result["within_asset_limit"]) == expected


def test_low_income_check_prefills_application(world, api):
    head = world["resident"]
    spouse = make_resident(world["household"], name="王强", relation="spouse")
    body = api(world["worker"]).post("/api/v1/low-income-checks", {
        "household_id": world["household"].pk, "incomes_fen": {str(head.pk): 80_000, str(spouse.pk): 60_000},
        "assets_fen": 100_000, "apply": True})
    assert body.status_code == 201, body.content
    data = body.json()
    assert (data["members"], data["per_capita_fen"], data["below_line"]) == (2, 70_000, True)
    application = Application.objects.get(pk=data["application_id"])
    assert application.item.name == "最低生活保障申请"
    assert application.status == "submitted"  # the decision stays with a person
    assert [m["name"] for m in application.form_data["members"]] == ["陈美玲", "王强"]
    assert "*" in application.form_data["members"][0]["id_number"]


def test_low_income_check_rejects_outsider_income(world, api):
    response = api(world["worker"]).post("/api/v1/low-income-checks", {
        "household_id": world["household"].pk, "incomes_fen": {str(world["other"].pk): 1}})
    assert response.status_code == 422
    assert response.json()["field"] == "incomes"


def test_admission_catalogue_rejects_task_not_on_it(world, api):
    client = api(world["secretary"])
    community = world["tree"].community_a.pk
    census = ServiceItem.objects.get(name="人口普查信息核实")
    rejected = client.post("/api/v1/community-tasks", {"community_id": community, "title": "协助人口抽样调查",
                                                       "sender": "区统计局", "item": census.code}).json()
    bought = client.post("/api/v1/community-tasks", {"community_id": community, "title": "协助人口抽样调查",
                                                     "sender": "区统计局", "item": census.code,
                                                     "purchase_budget_fen": 500_000}).json()
    subsidy = ServiceItem.objects.get(name="高龄补贴申领").code
    accepted = client.post("/api/v1/community-tasks", {"community_id": community, "title": "高龄补贴材料收集",
                                                       "sender": "区民政局", "item": subsidy}).json()
    decisions = [rejected["decision"], bought["decision"], accepted["decision"]]
    assert decisions == ["rejected", "purchased", "accepted"]
    other = api(world["grid01"]).post("/api/v1/community-tasks", {"community_id": community, "title": "x",
                                                                  "sender": "y"})
    assert other.status_code == 404  # a grid worker does not see the community as a unit
    assert AssignedTask.objects.count() == 3
