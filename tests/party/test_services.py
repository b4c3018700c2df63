"""Building the party tree: kinds under allowed parents, paths, places, members and in-service registrations."""

import datetime as dt

import pytest

from gongzhi.core.errors import InvalidInput
from gongzhi.core.models import AuditEvent
from gongzhi.party import services
from gongzhi.party.enums import Function, MemberStatus, OrganizationKind
from gongzhi.party.models import PartyOrganization
from gongzhi.registry.models import ResidentTagging
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db

K = OrganizationKind


@pytest.fixture
def tree():
    return make_tree()


@pytest.fixture
def committee(tree):
    root = services.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="东街党工委", place=tree.street)
    return services.create_organization(actor=None, kind=K.COMMITTEE, name="军门社区党委", place=tree.community_a,
                                        parent=root)


def test_five_levels_get_paths_under_their_parents_and_answer_for_their_places(tree):
    actor = make_user("secretary")
    root = services.create_organization(actor=actor, kind=K.WORKING_COMMITTEE, name="东街党工委", place=tree.street)
    committee = services.create_organization(actor=actor, kind=K.COMMITTEE, name="军门社区党委",
                                             place=tree.community_a, parent=root)
    general = services.create_organization(actor=actor, kind=K.GENERAL_BRANCH, name="第一网格党总支",
                                           place=tree.grid_a1, parent=committee)
    estate = tree.buildings["A1-1"].parent
    branch = services.create_organization(actor=actor, kind=K.BRANCH, name="A1小区党支部", place=estate,
                                          parent=general)
    group = services.create_organization(actor=actor, kind=K.GROUP, name="1号楼党小组",
                                         place=tree.buildings["A1-1"], parent=branch)
    second = services.create_organization(actor=actor, kind=K.GENERAL_BRANCH, name="第二网格党总支",
                                          place=tree.grid_a2, parent=committee)

    assert [o.path for o in (root, committee, general, branch, group, second)] == [
        "0001", "00010001", "000100010001", "0001000100010001", "00010001000100010001", "000100010002"]
    assert [o.place_path for o in (root, committee, group)] == [tree.street.path, tree.community_a.path,
                                                                tree.buildings["A1-1"].path]
    assert list(PartyOrganization.objects.subtree(committee.path).values_list("name", flat=True)) == [
        "军门社区党委", "第一网格党总支", "A1小区党支部", "1号楼党小组", "第二网格党总支"]
    assert AuditEvent.objects.filter(action="create", target_type="party.partyorganization",
                                     actor=actor).count() == 6
    assert AuditEvent.objects.get(target_id=str(group.pk)).scope_path == tree.buildings["A1-1"].path


def test_roots_are_numbered_in_turn(tree):
    from gongzhi.registry.services import create_place

    other = create_place(kind="street", name="南街街道", parent=tree.district)
    first = services.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="东街党工委", place=tree.street)
    second = services.create_organization(actor=None, kind=K.WORKING_COMMITTEE, name="南街党工委", place=other)

    assert (first.path, second.path) == ("0001", "0002")


@pytest.mark.parametrize(("kind", "parent_kind"), [
    (K.COMMITTEE, None), (K.GROUP, K.COMMITTEE), (K.WORKING_COMMITTEE, K.COMMITTEE),
    (K.CENTER_HOUSEHOLD, K.COMMITTEE), (K.GENERAL_BRANCH, K.GENERAL_BRANCH),
])
def test_a_kind_under_a_parent_it_may_not_stand_under_is_refused(tree, committee, kind, parent_kind):
    parent = {None: None, K.COMMITTEE: committee}.get(parent_kind)
    if parent_kind == K.GENERAL_BRANCH:
        parent = services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="总支", place=tree.grid_a1,
                                              parent=committee)
    before = PartyOrganization.objects.count()

    with pytest.raises(InvalidInput) as refused:
        services.create_organization(actor=None, kind=kind, name="新组织", place=tree.grid_a1, parent=parent)

    assert refused.value.field == "parent"
    assert PartyOrganization.objects.count() == before


def test_the_place_must_lie_within_the_parents_place(tree, committee):
    with pytest.raises(InvalidInput) as refused:
        services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="斗池网格党总支", place=tree.grid_b1,
                                     parent=committee)

    assert refused.value.field == "place"


def test_a_function_branch_names_its_committee_and_nobody_else_does(tree, committee):
    branch = services.create_organization(actor=None, kind=K.FUNCTION_BRANCH, name="安全与民调功能型党支部",
                                          place=tree.community_a, parent=committee,
                                          function=Function.SAFETY_MEDIATION)

    with pytest.raises(InvalidInput) as missing:
        services.create_organization(actor=None, kind=K.FUNCTION_BRANCH, name="无委员会", place=tree.community_a,
                                     parent=committee)
    with pytest.raises(InvalidInput) as extra:
        services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="多余", place=tree.grid_a1,
                                     parent=committee, function=Function.WELFARE)

    assert branch.function == "safety_mediation"
    assert (missing.value.field, extra.value.field) == ("function", "function")


def test_a_centre_household_names_a_household_in_its_place(tree, committee):
    general = services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="总支", place=tree.grid_a1,
                                           parent=committee)
    branch = services.create_organization(actor=None, kind=K.BRANCH, name="支部", place=tree.grid_a1,
                                          parent=general)
    group = services.create_organization(actor=None, kind=K.GROUP, name="党小组", place=tree.buildings["A1-1"],
                                         parent=branch)
    home = make_household(tree.buildings["A1-1"])
    elsewhere = make_household(tree.buildings["A1-2"])

    centre = services.create_organization(actor=None, kind=K.CENTER_HOUSEHOLD, name="党员中心户",
                                          place=tree.buildings["A1-1"], parent=group, household=home)
    with pytest.raises(InvalidInput) as outside:
        services.create_organization(actor=None, kind=K.CENTER_HOUSEHOLD, name="另一户", place=tree.buildings["A1-1"],
                                     parent=group, household=elsewhere)
    with pytest.raises(InvalidInput) as none:
        services.create_organization(actor=None, kind=K.CENTER_HOUSEHOLD, name="无户", place=tree.buildings["A1-1"],
                                     parent=group)

    assert centre.household == home
    assert (outside.value.field, none.value.field) == ("household", "household")


def test_names_are_unique_under_one_parent(tree, committee):
    services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name="总支", place=tree.grid_a1,
                                 parent=committee)

    with pytest.raises(InvalidInput) as refused:
        services.create_organization(actor=None, kind=K.GENERAL_BRANCH, name=" 总支 ", place=tree.grid_a2,
                                     parent=committee)

    assert refused.value.field == "name"


def test_adding_a_resident_as_member_tags_them_party_member(tree, committee):
    resident = make_resident(make_household(tree.buildings["A1-1"]), name="王建国", tags=["living_alone"])

    member = services.add_member(actor=None, organization=committee, resident=resident,
                                 joined_on=dt.date(1985, 7, 1), status=MemberStatus.FULL,
                                 functions=[Function.WELFARE, Function.ENVIRONMENT, Function.WELFARE])

    assert (member.name, member.org_path, member.place_path) == ("王建国", committee.path, committee.place_path)
    assert member.functions == "welfare,environment"
    assert sorted(ResidentTagging.objects.filter(resident=resident).values_list("tag", flat=True)) == [
        "living_alone", "party_member"]


def test_a_member_without_a_resident_record_needs_a_name(committee):
    member = services.add_member(actor=None, organization=committee, name="赵离退")

    with pytest.raises(InvalidInput) as refused:
        services.add_member(actor=None, organization=committee, name="  ")

    assert (member.name, member.resident_id) == ("赵离退", None)
    assert refused.value.field == "name"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"functions": ["dancing"]}, "functions"), ({"joined_on": dt.date(2999, 1, 1)}, "joined_on"),
    ({"kind": "honorary"}, "kind"), ({"status": "former"}, "status"),
])
def test_bad_member_details_are_refused(committee, kwargs, field):
    with pytest.raises(InvalidInput) as refused:
        services.add_member(actor=None, organization=committee, name="钱某", **kwargs)

    assert refused.value.field == field


def test_a_resident_is_a_member_once(tree, committee):
    resident = make_resident(make_household(tree.buildings["A1-1"]))
    services.add_member(actor=None, organization=committee, resident=resident)

    with pytest.raises(InvalidInput) as refused:
        services.add_member(actor=None, organization=committee, resident=resident)

    assert refused.value.field == "resident"
    assert ResidentTagging.objects.filter(resident=resident, tag="party_member").count() == 1


def test_in_service_member_registers_with_the_community_they_live_in(tree):
    resident = make_resident(make_household(tree.buildings["A1-1"]), name="孙在职")

    registration = services.register_in_service_member(
        actor=None, community=tree.community_a, name="", resident=resident, workplace="鼓楼区教育局",
        workplace_organization="区教育局机关党支部", registered_on=dt.date(2024, 3, 5),
        functions=[Function.PUBLIC_AFFAIRS])

    assert (registration.name, registration.place_path, registration.functions) == (
        "孙在职", tree.community_a.path, "public_affairs")
    assert ResidentTagging.objects.filter(resident=resident, tag="party_member").exists()
    with pytest.raises(InvalidInput) as again:
        services.register_in_service_member(actor=None, community=tree.community_a, name="", resident=resident,
                                            workplace="鼓楼区教育局")
    assert again.value.field == "resident"


def test_in_service_member_must_live_in_the_community_and_name_a_workplace(tree):
    resident = make_resident(make_household(tree.buildings["B1-1"]))

    with pytest.raises(InvalidInput) as elsewhere:
        services.register_in_service_member(actor=None, community=tree.community_a, name="", resident=resident,
                                            workplace="市卫健委")
    with pytest.raises(InvalidInput) as grid:
        services.register_in_service_member(actor=None, community=tree.grid_a1, name="李某", workplace="市卫健委")
    with pytest.raises(InvalidInput) as workplace:
        services.register_in_service_member(actor=None, community=tree.community_a, name="李某", workplace=" ")

    assert (elsewhere.value.field, grid.value.field, workplace.value.field) == ("resident", "community",
                                                                                 "workplace")
