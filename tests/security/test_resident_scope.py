"""A resident sees their own household only — and only while they live there."""

import pytest

from gongzhi.accounts.enums import Role
from gongzhi.registry.services import archive_resident
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(api):
    tree = make_tree()
    home = make_household(tree.buildings["A1-1"])
    me = make_resident(home, name="张自己")
    spouse = make_resident(home, name="李配偶", relation="spouse")
    user = make_user("resident01", Role.RESIDENT, place=tree.community_a, resident=me)
    officer = make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1)
    return tree, home, me, spouse, user, officer


def test_resident_sees_their_household_and_reveals_only_their_own_numbers(api, family):
    _tree, home, me, spouse, user, _officer = family
    client = api(user)

    listed = client.get("/api/v1/residents").json()
    household = client.get(f"/api/v1/households/{home.pk}").json()
    own = client.post(f"/api/v1/residents/{me.pk}/reveal", {"field": "phone", "reason": "核对本人信息"})
    spouses = client.post(f"/api/v1/residents/{spouse.pk}/reveal", {"field": "phone", "reason": "核对家人信息"})

    assert sorted(i["name"] for i in listed["items"]) == ["张自己", "李配偶"]
    assert sorted(m["name"] for m in household["members"]) == ["张自己", "李配偶"]
    assert own.status_code == 200
    assert (spouses.status_code, spouses.json()["code"]) == (403, "forbidden")


def test_after_moving_out_the_old_household_and_its_new_occupants_are_hidden(api, family):
    _tree, home, me, spouse, user, officer = family
    archive_resident(actor=officer, resident=me, reason="迁往外地")
    newcomer = make_resident(home, name="王新住")
    client = api(user)

    listed = client.get("/api/v1/residents", include_archived="true").json()
    answers = [client.get(f"/api/v1/households/{home.pk}").status_code,
               client.get(f"/api/v1/residents/{spouse.pk}").status_code,
               client.get(f"/api/v1/residents/{newcomer.pk}").status_code,
               client.post(f"/api/v1/residents/{spouse.pk}/reveal",
                           {"field": "phone", "reason": "核对家人信息"}).status_code]

    assert (listed["count"], listed["items"]) == (0, [])
    assert answers == [404, 404, 404, 404]
    assert "王新住" not in str(listed)
