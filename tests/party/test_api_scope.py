"""The party API in scope: a grid worker sees the organisations of their grid; members only for registry readers."""

import pytest

from gongzhi.accounts.enums import Role
from gongzhi.party import services
from gongzhi.party.enums import OrganizationKind as K
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(db):
    tree = make_tree()
    root = services.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="东街党工委", place=tree.street)
    a = services.create_organization(actor=None, kind=K.COMMITTEE, name="军门社区党委", place=tree.community_a,
                                     parent=root)
    g1 = services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="第一网格党总支", place=tree.grid_a1,
                                      parent=a)
    g2 = services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="第二网格党总支", place=tree.grid_a2,
                                      parent=a)
    b = services.create_organization(actor=None, kind=K.COMMITTEE, name="斗池社区党委", place=tree.community_b,
                                     parent=root)
    kin = make_resident(make_household(tree.buildings["A1-1"]), name="周党员")
    services.add_member(actor=None, organization=g1, resident=kin)
    services.add_member(actor=None, organization=g2, name="吴党员")
    services.add_member(actor=None, organization=b, name="郑党员")
    return tree, {"root": root, "a": a, "g1": g1, "g2": g2, "b": b}


def names(body):
    return [i["name"] for i in body["items"]]


def test_grid_worker_sees_the_organisations_of_their_grid_only(api, party):
    tree, orgs = party
    client = api(make_user("grid01", Role.GRID_WORKER, place=tree.grid_a1))

    listed = client.get("/api/v1/party/organizations").json()
    own = client.get(f"/api/v1/party/organizations/{orgs['g1'].pk}")
    others = [client.get(f"/api/v1/party/organizations/{orgs[k].pk}").status_code for k in ("root", "a", "g2", "b")]

    assert (names(listed), listed["count"]) == (["第一网格党总支"], 1)
    assert own.status_code == 200
    assert [m["name"] for m in own.json()["members"]] == ["周党员"]
    assert others == [404, 404, 404, 404]
    assert "吴党员" not in own.content.decode()


def test_secretary_sees_the_community_tree_with_member_names(api, party):
    tree, orgs = party
    client = api(make_user("secretary", Role.SECRETARY, place=tree.community_a))

    listed = client.get("/api/v1/party/organizations").json()
    committee = client.get(f"/api/v1/party/organizations/{orgs['a'].pk}").json()
    g2 = client.get(f"/api/v1/party/organizations/{orgs['g2'].pk}").json()

    assert names(listed) == ["军门社区党委", "第一网格党总支", "第二网格党总支"]
    assert [i["member_count"] for i in listed["items"]] == [0, 1, 1]
    assert (committee["member_count"], committee["subtree_member_count"], committee["members"]) == (0, 2, [])
    assert [m["name"] for m in g2["members"]] == ["吴党员"]


def test_street_officer_sees_the_whole_street(api, party):
    tree, _orgs = party
    client = api(make_user("street", Role.STREET_OFFICER, place=tree.street))

    listed = client.get("/api/v1/party/organizations", parent=_orgs["root"].pk).json()

    assert names(listed) == ["军门社区党委", "斗池社区党委"]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.VOLUNTEER, Role.SOCIAL_ORGANIZATION, Role.MERCHANT])
def test_roles_that_read_no_registry_see_no_party_organisation_or_member(api, party, role):
    tree, orgs = party
    client = api(make_user("someone", role, place=tree.community_a))

    listed = client.get("/api/v1/party/organizations").json()
    detail = client.get(f"/api/v1/party/organizations/{orgs['g1'].pk}")

    assert (listed["count"], listed["items"]) == (0, [])
    assert detail.status_code == 404
    assert "周党员" not in detail.content.decode()


def test_list_filters_by_kind(api, party):
    tree, _orgs = party
    client = api(make_user("secretary", Role.SECRETARY, place=tree.community_a))

    body = client.get("/api/v1/party/organizations", kind="general_branch").json()

    assert names(body) == ["第一网格党总支", "第二网格党总支"]


@pytest.mark.parametrize("rows", [1, 3])
def test_list_runs_a_fixed_number_of_queries(api, django_assert_num_queries, rows):
    tree = make_tree()
    root = services.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="东街党工委", place=tree.street)
    for n in range(rows - 1):
        services.create_organization(actor=None, kind=K.COMMITTEE, name=f"社区党委{n}", place=tree.community_a,
                                     parent=root)
    client = api(make_user("street", Role.STREET_OFFICER, place=tree.street))

    # token lookup, the token's first-use stamp, role scopes, page, count
    with django_assert_num_queries(5):
        body = client.get("/api/v1/party/organizations").json()

    assert body["count"] == rows
