"""Role × action × scope: every user tries every action on a government case at the status it is legal in."""

import pytest
from django.db import transaction

from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.models import Appeal
from tests.factories.appeals import appeal_in, make_world

pytestmark = pytest.mark.django_db
S = AppealStatus

USERS = [
    "admin",
    "street",
    "secretary_a",
    "worker_a",
    "grid_a1",
    "dept",
    "resident_a",
    "secretary_b",
    "grid_a2",
    "other_dept",
    "resident_b",
]
OUT_OF_SCOPE = {"secretary_b", "grid_a2", "other_dept", "resident_b"}
BODY = {"note": "处理意见", "rating": "satisfied"}

# (status, action) → users allowed
MATRIX = [
    (S.TRIAGED, "triage", {"admin", "street", "secretary_a", "worker_a"}),
    (S.TRIAGED, "assign", {"admin", "street", "secretary_a", "worker_a"}),
    (S.TRIAGED, "escalate", {"admin", "secretary_a", "worker_a", "grid_a1"}),
    (S.TRIAGED, "withdraw", {"resident_a", "secretary_a", "worker_a"}),
    (S.ASSIGNED, "accept", {"admin", "street"}),
    (S.ASSIGNED, "return", {"admin", "street"}),
    (S.ACCEPTED, "start", {"admin", "street", "dept"}),
    (S.ACCEPTED, "return", {"admin", "dept"}),
    (S.IN_PROGRESS, "reply", {"admin", "street", "dept"}),
    (S.REPLIED, "rate", {"resident_a"}),
    (S.REPLIED, "follow_up", {"admin", "street", "secretary_a", "worker_a", "grid_a1"}),
    (S.RATED, "close", {"admin", "street", "secretary_a", "worker_a"}),
]


def expected_code(name: str, status: str, allowed: set[str]) -> int:
    if name in allowed:
        return 200
    if name in OUT_OF_SCOPE or (name == "dept" and status in (S.SUBMITTED, S.TRIAGED)):
        return 404
    return 403


def test_role_action_scope_matrix(api):
    world = make_world()
    clients = {name: api(getattr(world, name)) for name in USERS}
    cases = {status: appeal_in(world, status) for status in {row[0] for row in MATRIX}}
    wrong = []
    for status, action, allowed in MATRIX:
        appeal = cases[status]
        body = dict(BODY)
        if action == "triage":
            body.update(tier="government", category="生态环境", handler=f"department:{world.fumes_department.pk}")
        for name in USERS:
            sid = transaction.savepoint()
            response = clients[name].post(f"/api/v1/appeals/{appeal.pk}/actions/{action}", body)
            after = Appeal.objects.get(pk=appeal.pk)
            events = after.events.count()
            transaction.savepoint_rollback(sid)
            want = expected_code(name, status, allowed)
            if response.status_code != want:
                wrong.append((status, action, name, response.status_code, want))
            if want != 200 and (after.status, events) != (status, appeal.events.count()):
                wrong.append((status, action, name, "changed", after.status))
    assert wrong == []


def test_each_user_lists_only_cases_in_scope(api):
    world = make_world()
    triaged = appeal_in(world, S.TRIAGED)
    sent = appeal_in(world, S.ASSIGNED)
    from tests.factories.appeals import submit

    in_b = submit(world, "楼下餐馆油烟直排", user=world.resident_b)
    expected = {
        "admin": {triaged.pk, sent.pk, in_b.pk},
        "street": {triaged.pk, sent.pk, in_b.pk},
        "secretary_a": {triaged.pk, sent.pk},
        "grid_a1": {triaged.pk, sent.pk},
        "grid_a2": set(),
        "dept": {sent.pk},
        "other_dept": set(),
        "resident_a": {triaged.pk, sent.pk},
        "resident_b": {in_b.pk},
        "secretary_b": {in_b.pk},
    }
    seen = {
        name: {i["id"] for i in api(getattr(world, name)).get("/api/v1/appeals", limit=50).json()["items"]}
        for name in expected
    }
    assert seen == expected


def test_missing_and_forbidden_cases_look_the_same(api):
    world = make_world()
    appeal = appeal_in(world, S.TRIAGED)
    client = api(world.secretary_b)

    forbidden = client.get(f"/api/v1/appeals/{appeal.pk}")
    missing = client.get("/api/v1/appeals/999999")

    assert (forbidden.status_code, forbidden.json()) == (missing.status_code, missing.json())
    assert forbidden.status_code == 404


def test_detail_lists_only_the_actions_the_user_may_take(api):
    world = make_world()
    appeal = appeal_in(world, S.ASSIGNED)

    street = api(world.street).get(f"/api/v1/appeals/{appeal.pk}").json()
    dept = api(world.dept).get(f"/api/v1/appeals/{appeal.pk}").json()

    assert street["actions"] == ["accept", "return", "escalate"] or sorted(street["actions"]) == sorted(
        ["accept", "return", "merge"]
    )
    assert dept["actions"] == []
    assert [e["action"] for e in dept["timeline"]] == ["submit", "triage", "assign"]
