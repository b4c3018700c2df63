"""gongzhi seed: the Junmen profile as seed 000 gives it, the city profile, determinism, demo accounts."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from gongzhi.core import crypto, idcard, masking, paths
from gongzhi.party.enums import OrganizationKind
from gongzhi.party.models import PartyMember, PartyOrganization
from gongzhi.registry.enums import PlaceKind, Relation, ResidentStatus, ResidentUnitKind, Tag
from gongzhi.registry.models import Household, Place, Resident, ResidentTagging, WorkListEntry
from gongzhi.registry.seeding import DEMO_ACCOUNTS, DEMO_PASSWORD
from gongzhi.registry.services import name_keys

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)
CORE_KEYS = {"communities", "districts", "streets", "grids", "estates", "buildings", "households", "residents",
             "archived_residents", "party_organizations", "party_branches", "party_members",
             "in_service_registrations", "resident_units", "merchants", "social_organizations",
             "work_list_entries", "departments", "accounts", "seconds"}


def seed(*args: str, apps: bool = False) -> tuple[dict, str]:
    """Run ``gongzhi seed``; the apps' hooks only where a test is about them (they have their own tests)."""
    out, err = io.StringIO(), io.StringIO()
    extra = [] if apps else ["--skip-apps"]
    call_command("seed", *args, *extra, "--today", TODAY.isoformat(), stdout=out, stderr=err)
    last = out.getvalue().strip().splitlines()[-1]
    return json.loads(last), err.getvalue()


def token(username: str, password: str = DEMO_PASSWORD) -> str:
    response = Client().post("/api/v1/auth/token", {"username": username, "password": password},
                             content_type="application/json")
    assert response.status_code == 200, (username, response.content)
    return response.json()["token"]


def get(username: str, url: str, **params):
    return Client().get(url, params, HTTP_AUTHORIZATION=f"Bearer {token(username)}")


def test_junmen_profile_builds_the_community_of_seed_000():
    counts, log = seed("--profile", "junmen")

    assert set(counts) >= CORE_KEYS
    assert {k: counts[k] for k in ("communities", "districts", "streets", "grids", "buildings", "households",
                                   "party_members", "party_branches", "resident_units")} == {
        "communities": 1, "districts": 1, "streets": 1, "grids": 6, "buildings": 68, "households": 3500,
        "party_members": 274, "party_branches": 15, "resident_units": 16}
    assert 12_500 <= counts["residents"] <= 13_500
    assert counts["accounts"] == DEMO_ACCOUNTS
    assert counts["residents"] == Resident.objects.filter(status=ResidentStatus.ACTIVE).count()
    assert PartyOrganization.objects.filter(kind=OrganizationKind.BRANCH, is_non_public=True).count() == 8
    community = Place.objects.get(kind=PlaceKind.COMMUNITY)
    assert [community.parent.name, community.parent.parent.name, community.parent.parent.code] == [
        "东街街道", "鼓楼区", "350102"]
    assert "军门社区" in log


@pytest.mark.slow  # runs every app's seed_demo: as slow as the slowest of them
def test_app_hooks_run_and_add_their_counts_to_the_last_line():
    from gongzhi.core.seeding import app_seeders

    counts, log = seed("--profile", "junmen", "--scale", "0.05", apps=True)

    hooks = [label for label, _ in app_seeders()]
    assert set(counts) >= CORE_KEYS
    assert counts["buildings"] == 68
    for label in hooks:
        assert f"{label}: seeded in" in log
    if hooks:
        assert set(counts) - CORE_KEYS


def test_junmen_party_tree_has_five_levels_function_branches_and_member_households():
    seed("--profile", "junmen", "--scale", "0.2")

    kinds = {k: PartyOrganization.objects.filter(kind=k).count() for k in OrganizationKind.values}

    assert kinds[OrganizationKind.WORKING_COMMITTEE] == 1
    assert kinds[OrganizationKind.COMMITTEE] == 1
    assert kinds[OrganizationKind.GENERAL_BRANCH] == 6
    assert kinds[OrganizationKind.BRANCH] == 15
    assert kinds[OrganizationKind.FUNCTION_BRANCH] == 6
    assert kinds[OrganizationKind.GROUP] >= 1
    assert kinds[OrganizationKind.CENTER_HOUSEHOLD] == kinds[OrganizationKind.GROUP]
    branch_paths = list(PartyOrganization.objects.filter(kind=OrganizationKind.BRANCH).values_list("path", flat=True))
    for member in PartyMember.objects.all():
        assert member.org_path == member.organization.path
        assert any(member.org_path.startswith(p) for p in branch_paths), member.org_path


def test_party_members_living_here_are_linked_and_tagged():
    seed("--profile", "junmen", "--scale", "0.2")

    linked = PartyMember.objects.filter(resident__isnull=False)
    tagged = set(ResidentTagging.objects.filter(tag=Tag.PARTY_MEMBER).values_list("resident_id", flat=True))

    assert linked.count() >= 40
    assert set(linked.values_list("resident_id", flat=True)) <= tagged
    assert all(m.place_path == m.resident.path for m in linked.select_related("resident"))


def test_every_id_number_is_valid_and_agrees_with_the_record():
    seed("--profile", "city", "--communities", "2", "--scale", "0.05")
    residents = list(Resident.objects.all())
    numbers = [crypto.decrypt(r.id_number_cipher) for r in residents]

    assert len(residents) > 800
    assert len(set(numbers)) == len(numbers)
    for r, number in zip(residents, numbers, strict=True):
        info = idcard.parse(number, today=TODAY)
        assert number[:6] in {"350102", "350103", "350104", "350105", "350111", "350112", "350121", "350122",
                              "350123", "350124", "350125", "350128", "350181"}
        assert (info.birth_date, info.gender) == (r.birth_date, r.gender)
        assert r.id_number_hash == crypto.lookup_hash(number)
        assert (r.id_number_masked, r.id_last4) == (masking.mask_id_number(number), number[-4:])
        assert "*" * 8 in r.id_number_masked


def test_families_are_plausible():
    seed("--profile", "junmen", "--scale", "0.1")
    by_household: dict[int, list[Resident]] = {}
    for r in Resident.objects.all():
        by_household.setdefault(r.household_id, []).append(r)

    for members in by_household.values():
        heads = [m for m in members if m.relation == Relation.HEAD]
        assert len(heads) == 1
        head = heads[0]
        for m in members:
            if m.relation == Relation.SPOUSE:
                assert m.gender != head.gender
                assert abs(m.birth_date.year - head.birth_date.year) <= 6
            if m.relation == Relation.CHILD:
                assert m.birth_date.year - head.birth_date.year >= 17
            if m.relation == Relation.PARENT:
                assert head.birth_date.year - m.birth_date.year >= 17
    areas = [h.floor_area for h in Household.objects.all()]
    assert min(areas) >= 40
    assert max(areas) <= 140
    assert Resident.objects.filter(moved_in_on__isnull=True).count() == 0


def test_residents_carry_care_tags_in_plausible_shares():
    seed("--profile", "junmen", "--scale", "0.3")
    total = Resident.objects.count()

    def share(tag: str) -> float:
        return ResidentTagging.objects.filter(tag=tag).count() / total

    assert 0.05 <= share(Tag.MIGRANT) <= 0.25
    assert 0.01 <= share(Tag.DISABLED) <= 0.05
    assert 0.003 <= share(Tag.LOW_INCOME) <= 0.04
    assert 0.005 <= share(Tag.LIVING_ALONE) <= 0.03
    assert 0.005 <= share(Tag.PARTY_MEMBER) <= 0.04
    alone = Resident.objects.filter(taggings__tag=Tag.LIVING_ALONE)
    assert all(Resident.objects.filter(household_id=r.household_id).count() == 1 for r in alone)


def test_stored_pinyin_agrees_with_registry_name_keys():
    seed("--profile", "junmen", "--scale", "0.05")

    for r in Resident.objects.all()[:400]:
        assert (r.name_pinyin, r.name_initials) == name_keys(r.name)


def test_same_seed_builds_the_same_people():
    def people():
        return list(Resident.objects.order_by("id").values_list("name", "id_number_hash", "birth_date",
                                                                  "household__room_no"))

    seed("--profile", "city", "--communities", "1", "--seed", "7", "--scale", "0.03")
    first = people()
    seed("--profile", "city", "--communities", "1", "--seed", "7", "--scale", "0.03", "--reset")
    second = people()
    seed("--profile", "city", "--communities", "1", "--seed", "8", "--scale", "0.03", "--reset")
    other = people()

    assert len(first) > 300
    assert [p[:2] for p in first] == [p[:2] for p in second]
    assert first == second
    assert [p[1] for p in other] != [p[1] for p in first]


def test_seeding_twice_skips_and_duplicates_nothing():
    first, _ = seed("--profile", "junmen", "--scale", "0.05")
    again, log = seed("--profile", "junmen", "--scale", "0.05")

    assert again["skipped"] is True
    assert "nothing seeded" in log
    assert {k: again[k] for k in CORE_KEYS - {"seconds"}} == {k: first[k] for k in CORE_KEYS - {"seconds"}}


def test_city_profile_spreads_communities_over_streets_and_districts():
    counts, log = seed("--profile", "city", "--communities", "10", "--scale", "0.01")

    assert counts["communities"] == 10
    assert (counts["districts"], counts["streets"]) == (2, 2)
    assert counts["accounts"] == len(set(
        ["admin", "street", "dept01", "resident01", "resident02", "district01", "district02", "street01",
         "street02"])) + 2 * 10 + counts["grids"]
    assert 68 * 10 * 0.8 <= counts["buildings"] <= 68 * 10 * 1.2
    assert Place.objects.filter(kind=PlaceKind.COMMUNITY, name="军门社区").count() == 1
    assert log.count("社区:") == 10


def test_command_rejects_bad_arguments():
    with pytest.raises(CommandError):
        call_command("seed", "--profile", "city", "--communities", "0", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed", "--profile", "junmen", "--communities", "3", stdout=io.StringIO(),
                     stderr=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed", "--scale", "0", stdout=io.StringIO(), stderr=io.StringIO())
    assert Place.objects.count() == 0


def test_demo_accounts_log_in_with_the_demo_password():
    seed("--profile", "junmen", "--scale", "0.05")

    for username in DEMO_ACCOUNTS:
        assert token(username).startswith("gz_")
    me = get("resident01", "/api/v1/me").json()
    assert me["username"] == "resident01"


def test_grid_worker_sees_only_their_grid():
    seed("--profile", "junmen", "--scale", "0.05")
    grid1, grid2 = Place.objects.filter(kind=PlaceKind.GRID).order_by("path")[:2]
    in_grid1 = Resident.objects.filter(paths.subtree_q("path", grid1.path), status=ResidentStatus.ACTIVE)
    outside = Resident.objects.filter(paths.subtree_q("path", grid2.path)).first()

    body = get("grid01", "/api/v1/residents", limit=200).json()
    foreign = get("grid01", f"/api/v1/residents/{outside.pk}")

    assert body["count"] == in_grid1.count() < Resident.objects.filter(status=ResidentStatus.ACTIVE).count()
    assert {i["id"] for i in body["items"]} <= set(in_grid1.values_list("id", flat=True))
    assert foreign.status_code == 404


def test_resident_accounts_live_in_grids_one_and_two_and_department_handler_has_a_department():
    seed("--profile", "junmen", "--scale", "0.05")
    from gongzhi.accounts.models import RoleAssignment, User

    grid1, grid2 = Place.objects.filter(kind=PlaceKind.GRID).order_by("path")[:2]
    r1 = User.objects.get(username="resident01").resident
    r2 = User.objects.get(username="resident02").resident
    dept = RoleAssignment.objects.get(user__username="dept01").department
    street = RoleAssignment.objects.get(user__username="street").place

    assert r1.path.startswith(grid1.path)
    assert r2.path.startswith(grid2.path)
    assert str(dept) == "鼓楼区城管局·市容科"
    assert street.name == "东街街道"


def test_work_list_names_staff_buildings_and_merchants():
    seed("--profile", "junmen", "--scale", "0.05")

    entries = list(WorkListEntry.objects.prefetch_related("buildings", "merchants"))
    grid_entries = [e for e in entries if e.position == "网格员"]

    assert len(grid_entries) == 6
    assert sum(e.buildings.count() for e in grid_entries) == 68
    assert all(m.kind == ResidentUnitKind.MERCHANT for e in entries for m in e.merchants.all())
    staff = {e.staff.username for e in entries if e.staff}
    assert staff == {"secretary", "worker", *(f"grid0{i}" for i in range(1, 7))}


@pytest.mark.parametrize("sparse", [0, 2000])
@pytest.mark.parametrize(("username", "q"), [("street", "陈"), ("street", ""), ("secretary", "lx"),
                                             ("grid01", "林"), ("admin", "")])
def test_search_pages_and_counts_match_a_plain_query(monkeypatch, username, q, sparse):
    """Both page strategies of ResidentSearch give the rows and count of the plain ordered query."""
    from gongzhi.accounts.models import User
    from gongzhi.registry.selectors import ResidentSearch, search_residents

    seed("--profile", "city", "--communities", "2", "--scale", "0.05")
    monkeypatch.setattr(ResidentSearch, "SPARSE", sparse)
    user = User.objects.get(username=username)
    found = search_residents(user, q=q)
    plain = Resident.objects.filter(pk__in=list(found.values_list("pk", flat=True))).order_by(*ResidentSearch.ORDER)
    expected = list(plain.values_list("pk", flat=True))

    pages = [[r.pk for r in found[i: i + 20]] for i in (0, 20, len(expected) - 5)]

    assert found.count() == len(expected) > 5
    assert pages == [expected[0:20], expected[20:40], expected[-5:]]
