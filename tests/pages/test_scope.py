"""Pages enforce scope: a grid worker sees only their grid; out-of-scope objects answer 404."""

import pytest
from django.urls import reverse

from tests.pages.conftest import HTMX, linked_residents

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "key", "status"), [
    ("grid01", "head", 200), ("grid01", "a2", 404), ("grid01", "b1", 404),
    ("grid02", "a2", 200), ("grid02", "head", 404),
    ("secretary", "a2", 200), ("secretary", "b1", 404),
    ("street", "b1", 200), ("admin", "b1", 200),
])
def test_resident_page_is_found_only_in_scope(world, login, role, key, status):
    resident = world.residents[key]

    response = login(world.users[role]).get(reverse("console:resident", args=[resident.pk]))

    assert response.status_code == status
    if status == 404:
        assert resident.name not in response.content.decode()


@pytest.mark.parametrize(("role", "key", "status"), [
    ("grid01", "a1", 200), ("grid01", "a2", 404), ("grid02", "a1", 404), ("secretary_b", "a1", 404),
    ("secretary_b", "b1", 200),
])
def test_household_page_is_found_only_in_scope(world, login, role, key, status):
    household = world.households[key]

    response = login(world.users[role]).get(reverse("console:household", args=[household.pk]))

    assert response.status_code == status


def test_missing_resident_looks_like_a_forbidden_one(world, login):
    client = login(world.users["grid01"])

    assert client.get(reverse("console:resident", args=[999999])).status_code == 404


def test_place_tree_of_a_grid_worker_starts_at_their_grid(world, login):
    response = login(world.users["grid01"]).get(reverse("console:places"))

    assert [r["place"].name for r in response.context["rows"]] == ["第A1网格"]
    assert response.context["rows"][0]["counts"] == {"households": 1, "residents": 2, "buildings": 2}
    assert "第A2网格" not in response.content.decode()


def test_place_tree_expands_a_node_with_htmx(world, login):
    client = login(world.users["secretary"])
    community = world.tree.community_a

    response = client.get(reverse("console:places"), {"parent": community.pk}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html  # a fragment, not a page
    assert html.index("第A1网格") < html.index("第A2网格")
    assert html.count("data-tree-toggle") == 2


def test_place_tree_lists_households_of_a_building(world, login):
    building = world.tree.buildings["A1-1"]

    response = login(world.users["grid01"]).get(reverse("console:places"), {"parent": building.pk}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="tree-row"') == 1
    assert "1单元101室</a>" in html
    assert "<b>2</b>" in html


@pytest.mark.parametrize("place", ["grid_a2", "community_b", "community_a"])
def test_place_tree_will_not_expand_outside_the_grid(world, login, place):
    node = getattr(world.tree, place)

    response = login(world.users["grid01"]).get(reverse("console:places"), {"parent": node.pk}, **HTMX)

    assert response.status_code == 404


def test_search_finds_only_residents_in_scope(world, login):
    client = login(world.users["grid01"])

    in_scope = client.get(reverse("console:residents"), {"q": "张"}, **HTMX)
    out_of_scope = client.get(reverse("console:residents"), {"q": "李二格"}, **HTMX)

    assert linked_residents(in_scope.content.decode()) == ["张一格", "张一妻"]
    assert linked_residents(out_of_scope.content.decode()) == []
    assert "李二格" not in out_of_scope.content.decode()


def test_search_filter_by_a_place_outside_scope_is_refused(world, login):
    response = login(world.users["grid01"]).get(reverse("console:residents"), {"place": world.tree.grid_a2.pk})

    assert response.context["page"] is None
    assert response.context["form"].errors["place"] == ["请选择您负责范围内的区划。"]
    assert "李二格" not in response.content.decode()


def test_party_tree_of_a_grid_worker_shows_only_their_branch(world, login):
    response = login(world.users["grid01"]).get(reverse("party:tree"))

    assert [o.name for o in response.context["roots"]] == ["一网格党总支"]
    html = response.content.decode()
    assert "斗池党委" not in html
    assert "军门党委" not in html


def test_party_members_of_another_community_are_not_shown(world, login):
    org_b = world.organizations["b"]

    response = login(world.users["secretary"]).get(reverse("party:tree"), {"org": org_b.pk}, **HTMX)

    assert response.status_code == 404
    assert "赵斗党" not in response.content.decode()


def test_work_list_of_another_community_is_refused_in_the_console(world, login):
    response = login(world.users["grid01"]).get(reverse("console:work_list"),
                                                 {"community": world.tree.community_b.pk})

    assert response.status_code == 404


def test_audit_page_shows_only_the_scope_of_the_reader(world, login):
    from gongzhi.core.audit import record_audit
    from gongzhi.core.models import AuditEvent

    record_audit(actor=world.users["grid01"], action=AuditEvent.Action.REVEAL, target=world.residents["head"],
                 field="phone", reason="上门核实独居老人联系方式")
    record_audit(actor=world.users["secretary_b"], action=AuditEvent.Action.REVEAL, target=world.residents["b1"],
                 field="phone", reason="斗池核实")

    page_a = login(world.users["secretary"]).get(reverse("console:audit")).context["page"]
    page_b = login(world.users["secretary_b"]).get(reverse("console:audit")).context["page"]
    page_street = login(world.users["street"]).get(reverse("console:audit")).context["page"]

    reveal_reasons = lambda page: [e.reason for e in page.object_list if e.action == "reveal"]  # noqa: E731
    assert reveal_reasons(page_a) == ["上门核实独居老人联系方式"]
    assert reveal_reasons(page_b) == ["斗池核实"]
    assert reveal_reasons(page_street) == ["斗池核实", "上门核实独居老人联系方式"]


def test_audit_page_filters_by_action(world, login):
    response = login(world.users["secretary"]).get(reverse("console:audit"), {"action": "reveal"}, **HTMX)

    assert "<html" not in response.content.decode()
    assert "没有符合条件的记录。" in response.content.decode()
    creates = login(world.users["secretary"]).get(reverse("console:audit"), {"action": "create"}).context["page"]
    assert {e.action for e in creates.object_list} == {"create"}
    residents = [e.target_repr for e in creates.object_list if e.target_type == "registry.resident"]
    assert sorted(residents) == ["张一妻", "张一格", "李二格"]


def test_party_tree_opens_one_sub_tree_on_request(world, login):
    response = login(world.users["street"]).get(reverse("party:tree"), {"root": world.organizations["b"].pk})

    html = response.content.decode()
    assert [o.name for o in response.context["roots"]] == ["斗池党委"]
    assert "军门党委" not in html


def test_party_tree_of_a_large_scope_lists_the_top_levels(world, login, monkeypatch):
    from gongzhi.party import views

    monkeypatch.setattr(views, "FULL_TREE_LIMIT", 2)

    response = login(world.users["street"]).get(reverse("party:tree"))

    assert [o.name for o in response.context["overview"]] == ["东街党工委", "军门党委", "一网格党总支", "斗池党委"]
    assert f'?root={world.organizations["a"].pk}"' in response.content.decode()


def test_party_sub_tree_outside_scope_is_404(world, login):
    response = login(world.users["grid01"]).get(reverse("party:tree"), {"root": world.organizations["b"].pk})

    assert response.status_code == 404


def test_search_by_building_lists_its_residents_within_scope(world, login):
    client = login(world.users["grid01"])

    by_name = client.get(reverse("console:residents"), {"q": "1号楼"}, **HTMX).content.decode()
    by_estate = client.get(reverse("console:residents"), {"q": "A1小区1号楼"}, **HTMX).content.decode()
    other_grid = client.get(reverse("console:residents"), {"q": "A2小区1号楼"}, **HTMX).content.decode()

    assert linked_residents(by_name) == ["张一格", "张一妻"]  # A2's 1号楼 is outside grid A1
    assert linked_residents(by_estate) == ["张一格", "张一妻"]
    assert linked_residents(other_grid) == []
