"""GET /api/v1/audit: who may read which part of the audit log, and what an item holds."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.core.audit import record_audit
from gongzhi.core.models import AuditEvent
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db

ITEM_KEYS = {"id", "created_at", "actor_id", "actor_name", "action", "action_label", "target_type", "target_id",
             "target_repr", "field", "reason", "scope_path", "ip_address"}


@pytest.fixture
def two_communities():
    tree = make_tree()
    a = make_resident(make_household(tree.buildings["A1-1"]), name="陈甲")
    b = make_resident(make_household(tree.buildings["B1-1"]), name="林乙")
    users = {
        "grid_a1": make_user("grid_a1", Role.GRID_WORKER, place=tree.grid_a1),
        "worker_b": make_user("worker_b", Role.COMMUNITY_WORKER, place=tree.community_b),
        "secretary_a": make_user("secretary_a", Role.SECRETARY, place=tree.community_a),
        "secretary_b": make_user("secretary_b", Role.SECRETARY, place=tree.community_b),
        "street": make_user("street", Role.STREET_OFFICER, place=tree.street),
        "admin": make_user("admin", Role.ADMIN),
    }
    return tree, a, b, users


def reveal(api, user, resident, *, field="id_number", reason="上门核实身份", ip="10.0.0.7"):
    response = api(user).post(f"/api/v1/residents/{resident.pk}/reveal", {"field": field, "reason": reason},
                              REMOTE_ADDR=ip, HTTP_USER_AGENT="pytest-browser")
    assert response.status_code == 200, response.content
    return response.json()["value"]


def test_reveal_shows_up_with_actor_reason_field_ip_and_time(api, two_communities):
    _tree, a, _b, users = two_communities
    before = timezone.now()
    value = reveal(api, users["grid_a1"], a, field="phone", reason="联系独居老人家属", ip="10.1.2.3")
    after = timezone.now()

    response = api(users["secretary_a"]).get("/api/v1/audit", action="reveal")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) == ITEM_KEYS
    assert {k: item[k] for k in ("actor_id", "actor_name", "action", "target_type", "target_id", "target_repr",
                                 "field", "reason", "ip_address", "scope_path")} == {
        "actor_id": users["grid_a1"].pk, "actor_name": "grid_a1", "action": "reveal",
        "target_type": "registry.resident", "target_id": str(a.pk), "target_repr": "陈甲", "field": "phone",
        "reason": "联系独居老人家属", "ip_address": "10.1.2.3", "scope_path": a.path,
    }
    assert before <= dt.datetime.fromisoformat(item["created_at"]) <= after
    assert value not in response.content.decode()


@pytest.mark.parametrize(("reader", "expected"), [
    ("secretary_a", {"陈甲"}),
    ("secretary_b", {"林乙"}),
    ("street", {"陈甲", "林乙"}),
    ("admin", {"陈甲", "林乙"}),
])
def test_each_reader_sees_the_reveals_of_their_scope_only(api, two_communities, reader, expected):
    _tree, a, b, users = two_communities
    reveal(api, users["grid_a1"], a)
    reveal(api, users["worker_b"], b)

    body = api(users[reader]).get("/api/v1/audit", action="reveal").json()

    assert {i["target_repr"] for i in body["items"]} == expected
    assert body["count"] == len(expected)


def test_secretary_of_a_finds_no_trace_of_community_b(api, two_communities):
    _tree, _a, b, users = two_communities
    reveal(api, users["worker_b"], b, reason="核对斗池社区低保")

    body = api(users["secretary_a"]).get("/api/v1/audit", limit=200).json()

    text = str(body)
    assert "林乙" not in text
    assert "核对斗池社区低保" not in text
    assert "worker_b" not in text
    assert AuditEvent.objects.filter(target_id=str(b.pk), action="reveal").count() == 1


@pytest.mark.parametrize("role", [Role.COMMUNITY_WORKER, Role.GRID_WORKER, Role.RESIDENT, Role.VOLUNTEER,
                                  Role.SOCIAL_ORGANIZATION, Role.MERCHANT])
def test_roles_without_audit_right_are_refused(api, role):
    tree = make_tree()
    place = tree.grid_a1 if role == Role.GRID_WORKER else tree.community_a
    user = make_user("someone", role, place=place)

    response = api(user).get("/api/v1/audit")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_department_handler_is_refused(api):
    from gongzhi.accounts.models import Department

    tree = make_tree()
    dept = Department.objects.create(name="城管科", place=tree.street)
    user = make_user("dept01", Role.DEPARTMENT_HANDLER, department=dept)

    assert api(user).get("/api/v1/audit").status_code == 403


def test_anonymous_is_asked_to_log_in(api):
    response = api().get("/api/v1/audit")

    assert (response.status_code, response.json()["code"]) == (401, "unauthorized")


def test_filters_by_action_target_type_and_time(api, two_communities):
    _tree, a, b, users = two_communities
    reveal(api, users["grid_a1"], a)
    admin = api(users["admin"])
    now = timezone.now()

    creates = admin.get("/api/v1/audit", action="create", target_type="registry.resident").json()
    future = admin.get("/api/v1/audit", since=(now + dt.timedelta(minutes=5)).isoformat()).json()
    past = admin.get("/api/v1/audit", until=(now - dt.timedelta(days=1)).isoformat()).json()
    window = admin.get("/api/v1/audit", action="reveal", since=(now - dt.timedelta(minutes=5)).isoformat(),
                       until=(now + dt.timedelta(minutes=5)).isoformat()).json()
    naive = admin.get("/api/v1/audit", action="reveal", since="2000-01-01T00:00:00").json()
    by_target = admin.get("/api/v1/audit", target_type="registry.resident", target_id=str(b.pk)).json()

    assert {i["target_repr"] for i in creates["items"]} == {"陈甲", "林乙"}
    assert (future["count"], past["count"], window["count"], naive["count"]) == (0, 0, 1, 1)
    assert [(i["action"], i["target_repr"]) for i in by_target["items"]] == [("create", "林乙")]


@pytest.mark.parametrize(("params", "field"), [
    ({"action": "steal"}, "action"),
    ({"since": "yesterday"}, "since"),
    ({"until": "2024-13-45"}, "until"),
    ({"target_type": "x" * 61}, "target_type"),
    ({"target_type": "a\x00b"}, "target_type"),
    ({"limit": 0}, "limit"),
])
def test_bad_filters_are_a_422_naming_the_field(api, two_communities, params, field):
    users = two_communities[3]

    response = api(users["admin"]).get("/api/v1/audit", **params)

    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid", field)


def test_pages_newest_first(api, two_communities):
    _tree, a, _b, users = two_communities
    reveal(api, users["grid_a1"], a, reason="第一次")
    reveal(api, users["grid_a1"], a, reason="第二次")

    body = api(users["secretary_a"]).get("/api/v1/audit", action="reveal", limit=1).json()

    assert body["count"] == 2
    assert [i["reason"] for i in body["items"]] == ["第二次"]


def test_id_and_phone_numbers_typed_into_a_reason_are_stored_masked(api, two_communities):
    _tree, a, _b, users = two_communities
    number = reveal(api, users["grid_a1"], a, reason="临时记录")
    reason = f"核对 {number} 与 13812345678"

    reveal(api, users["grid_a1"], a, reason=reason)

    stored = AuditEvent.objects.filter(action="reveal").first().reason
    assert stored == f"核对 {number[:6]}********{number[-4:]} 与 138****5678"
    body = api(users["secretary_a"]).get("/api/v1/audit", action="reveal").content.decode()
    assert number not in body
    assert "13812345678" not in body


@pytest.mark.parametrize("rows", [1, 3])
def test_list_runs_a_fixed_number_of_queries(api, django_assert_num_queries, rows):
    tree = make_tree()
    secretary = make_user("secretary_a", Role.SECRETARY, place=tree.community_a)
    for n in range(rows):
        record_audit(actor=secretary, action=AuditEvent.Action.UPDATE, target_type="registry.place",
                     target_id=str(n), target_repr=f"place {n}", scope_path=tree.grid_a1.path)
    client = api(secretary)

    # token lookup, the token's first-use stamp, role scopes, page, count
    with django_assert_num_queries(5):
        body = client.get("/api/v1/audit").json()

    assert body["count"] == rows
