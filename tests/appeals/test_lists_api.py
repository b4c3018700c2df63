import pytest

from gongzhi.appeals.models import Appeal, CalendarDay
from tests.factories.appeals import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_secretary_edits_a_draft_and_publishes_and_new_cases_use_it(api, world):
    client = api(world.secretary_a)
    community = world.tree.community_a.pk

    client.post(f"/api/v1/appeals/lists/{community}/draft")
    saved = client.post(
        f"/api/v1/appeals/lists/{community}/draft/items",
        {
            "code": "night-market",
            "matter": "夜市占道",
            "tier": "government",
            "category": "城市管理",
            "handler": f"department:{world.fumes_department.pk}",
            "keywords": ["夜市", "摊位"],
            "reply_days": 3,
        },
    )
    published = client.post(f"/api/v1/appeals/lists/{community}/publish")
    case = api(world.resident_a).post("/api/v1/appeals", {"text": "门口夜市摊位占道，车都开不进来"}).json()

    assert saved.status_code == 200, saved.content
    assert (published.json()["version"], published.json()["status"]) == (2, "published")
    assert (case["list_version"], case["category"]) == (2, "城市管理")
    assert Appeal.objects.get(pk=case["id"]).list_item.code == "night-market"
    public = api().get(f"/api/v1/public/responsibility-lists/{community}").json()
    assert public["version"] == 2
    assert len(public["items"]) == 60


def test_wrong_handler_for_the_tier_is_refused_by_field(api, world):
    client = api(world.secretary_a)
    community = world.tree.community_a.pk
    client.post(f"/api/v1/appeals/lists/{community}/draft")

    response = client.post(
        f"/api/v1/appeals/lists/{community}/draft/items",
        {"code": "x-1", "matter": "测试", "tier": "private", "category": "测试", "handler": "committee:welfare"},
    )

    assert (response.status_code, response.json()["field"]) == (422, "handler")


@pytest.mark.parametrize("user", ["worker_a", "grid_a1", "secretary_b", "dept", "resident_a"])
def test_only_the_communitys_secretary_may_draft(api, world, user):
    response = api(getattr(world, user)).post(f"/api/v1/appeals/lists/{world.tree.community_a.pk}/draft")

    assert response.status_code == 403
    assert world.tree.community_a.responsibility_lists.count() == 1


def test_calendar_year_and_admin_override(api, world):
    body = api(world.street).get("/api/v1/appeals/calendar", year=2024).json()
    refused = api(world.street).client.put(
        "/api/v1/appeals/calendar",
        {"date": "2024-10-08", "is_workday": False},
        content_type="application/json",
        **api(world.street).headers,
    )
    admin = api(world.admin)
    done = admin.client.put(
        "/api/v1/appeals/calendar",
        {"date": "2024-10-08", "is_workday": False, "note": "台风停工"},
        content_type="application/json",
        **admin.headers,
    )

    assert len(body) == 366
    assert next(d for d in body if d["date"] == "2024-10-01")["is_workday"] is False
    assert next(d for d in body if d["date"] == "2024-10-12")["is_workday"] is True
    assert refused.status_code == 403
    assert done.json() == {"date": "2024-10-08", "is_workday": False, "note": "台风停工", "source": "override"}
    assert CalendarDay.objects.count() == 1
