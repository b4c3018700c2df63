import pytest

from gongzhi.accounts.enums import Role
from gongzhi.core.models import AuditEvent
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


def test_grid_worker_lists_only_own_grid_and_sees_masked_ids(api):
    tree = make_tree()
    mine = make_resident(make_household(tree.buildings["A1-1"]), name="李四")
    make_resident(make_household(tree.buildings["A2-1"]), name="王五")
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)

    body = api(worker).get("/api/v1/residents").json()

    assert body["count"] == 1
    assert [i["id"] for i in body["items"]] == [mine.pk]
    assert body["items"][0]["id_number"] == mine.id_number_masked
    assert "*" * 8 in body["items"][0]["id_number"]


def test_reveal_needs_reason_and_is_audited(api):
    tree = make_tree()
    r = make_resident(make_household(tree.buildings["A1-1"]))
    worker = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    client = api(worker)

    refused = client.post(f"/api/v1/residents/{r.pk}/reveal", {"field": "id_number", "reason": ""})
    ok = client.post(f"/api/v1/residents/{r.pk}/reveal", {"field": "id_number", "reason": "办理居住证明"})

    assert refused.status_code == 422
    assert ok.status_code == 200
    assert len(ok.json()["value"]) == 18
    assert list(AuditEvent.objects.filter(action="reveal").values_list("reason", "target_id")) == [
        ("办理居住证明", str(r.pk))
    ]
