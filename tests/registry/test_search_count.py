"""Resident search answers a huge result with a capped count ("more than N") instead of counting it all."""

import pytest
from django.test import Client

from gongzhi.accounts.enums import Role
from gongzhi.registry.models import Resident
from gongzhi.registry.selectors import ResidentSearch
from tests.factories.accounts import make_user
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def street_with_wangs():
    tree = make_tree()
    for i in range(7):
        make_resident(make_household(tree.buildings["A1-1" if i % 2 else "B1-1"]), name=f"王{'一二三四五六七'[i]}")
    make_resident(make_household(tree.buildings["A2-1"]), name="李四")
    return tree


def small_caps(monkeypatch):
    """Results over SPARSE rows are paged by the database and counted up to COUNT_CAP: make both tiny."""
    monkeypatch.setattr(ResidentSearch, "SPARSE", 0)
    monkeypatch.setattr(ResidentSearch, "COUNT_CAP", 5)


def test_count_stops_at_the_cap_and_says_so(api, street_with_wangs, monkeypatch):
    small_caps(monkeypatch)
    officer = make_user("street1", Role.STREET_OFFICER, place=street_with_wangs.street)

    many = api(officer).get("/api/v1/residents", q="王", limit=3, offset=3)
    few = api(officer).get("/api/v1/residents", q="李")
    exact = api(officer).get("/api/v1/residents", q="王", place=street_with_wangs.community_a.pk)

    assert many.status_code == 200
    assert (many.json()["count"], many.json()["count_exact"]) == (5, False)
    assert len(many.json()["items"]) == 3  # the pages themselves are not capped
    assert (few.json()["count"], few.json()["count_exact"]) == (1, True)
    assert (exact.json()["count"], exact.json()["count_exact"]) == (3, True)


def test_a_result_read_whole_is_counted_exactly_past_the_cap(api, street_with_wangs, monkeypatch):
    monkeypatch.setattr(ResidentSearch, "COUNT_CAP", 5)  # SPARSE stays 2,000: the 7 matches are read anyway
    officer = make_user("street1", Role.STREET_OFFICER, place=street_with_wangs.street)

    body = api(officer).get("/api/v1/residents", q="王").json()

    assert (body["count"], body["count_exact"]) == (7, True)


def test_capped_count_is_scoped_like_the_rows(api, street_with_wangs, monkeypatch):
    """A grid worker's count never reveals how many match outside the grid."""
    small_caps(monkeypatch)
    grid = make_user("grid1", Role.GRID_WORKER, place=street_with_wangs.grid_a1)

    body = api(grid).get("/api/v1/residents", q="王").json()

    assert (body["count"], body["count_exact"]) == (3, True)


def test_search_page_says_more_than_the_cap(street_with_wangs, monkeypatch):
    small_caps(monkeypatch)
    officer = make_user("street1", Role.STREET_OFFICER, place=street_with_wangs.street)
    client = Client()
    client.force_login(officer)

    html = client.get("/console/residents/", {"q": "王"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "More than 5 results" in html


def test_pages_of_a_large_pinyin_result_are_whole_ordered_and_without_repeats(api, monkeypatch):
    """On SQLite a large initials-or-pinyin result is paged from each side's index and merged: a name on
    both sides (周欢: initials zh…, pinyin zhou…) appears once, and the pages follow one order."""
    small_caps(monkeypatch)
    tree = make_tree()
    for name in ("周欢", "张三", "钟华", "赵敏", "李四"):
        make_resident(make_household(tree.buildings["A1-1"]), name=name)
    officer = make_user("street1", Role.STREET_OFFICER, place=tree.street)
    client = api(officer)

    pages = [client.get("/api/v1/residents", q="zh", limit=2, offset=o).json()["items"] for o in (0, 2, 4)]
    plain = Resident.objects.exclude(name="李四").order_by(*ResidentSearch.ORDER).values_list("id", flat=True)

    names = [r["name"] for page in pages for r in page]
    assert sorted(names) == sorted(["周欢", "张三", "赵敏", "钟华"])
    assert [r["id"] for page in pages for r in page] == list(plain)


@pytest.mark.parametrize("q", ["王", "wang", "w"])
@pytest.mark.parametrize("who", ["admin", "street"])
def test_pages_of_a_large_result_across_communities_follow_one_order(api, monkeypatch, q, who):
    """A large result is paged one community at a time: the pages, walked to the end, are exactly the
    matches in (path, household, id) order, whoever asks and whatever the query kind."""
    small_caps(monkeypatch)
    tree = make_tree()
    # created out of path order, so that id order and path order differ
    for building, name in (("B1-1", "王五"), ("A2-1", "王二"), ("A1-1", "王一"), ("B1-1", "王六"),
                           ("A1-2", "王三"), ("A2-1", "汪四"), ("A1-1", "李四")):
        make_resident(make_household(tree.buildings[building]), name=name)
    user = make_user("root", Role.ADMIN) if who == "admin" else \
        make_user("street1", Role.STREET_OFFICER, place=tree.street)
    client = api(user)

    pages = [client.get("/api/v1/residents", q=q, limit=2, offset=o).json() for o in (0, 2, 4)]
    expected = list(Resident.objects.filter(name__in=["王一", "王二", "王三", "汪四", "王五", "王六"]
                                            if q != "王" else ["王一", "王二", "王三", "王五", "王六"])
                    .order_by(*ResidentSearch.ORDER).values_list("id", flat=True))

    assert [r["id"] for page in pages for r in page["items"]] == expected
    assert (pages[0]["count"], pages[0]["count_exact"]) == (min(len(expected), 5), len(expected) <= 5)


def test_a_search_row_says_what_the_resident_page_says(api):
    """Search pages are read as plain values, not through ``resident_out``: each row must equal the resident's
    own answer — address with the estate, with and without an entrance, tags, age and age band, masked numbers."""
    import datetime as dt

    from gongzhi.registry import services
    from gongzhi.registry.enums import PlaceKind

    tree = make_tree()
    bare = services.create_place(kind=PlaceKind.BUILDING, name="7号楼", parent=tree.buildings["A1-1"].parent,
                                 floors=5)
    no_entrance = services.create_household(building=bare, unit_no="", room_no="201")
    make_resident(make_household(tree.buildings["A1-1"]), name="王老", birth=dt.date(1940, 1, 2),
                  tags=["living_alone", "disabled"])
    make_resident(no_entrance, name="王小", birth=dt.date(2015, 12, 31), male=False)
    make_resident(make_household(tree.buildings["A2-2"]), name="王中", birth=dt.date(1960, 6, 1))
    client = api(make_user("street1", Role.STREET_OFFICER, place=tree.street))

    rows = client.get("/api/v1/residents", q="王").json()["items"]

    assert len(rows) == 3
    for row in rows:
        assert row == client.get(f"/api/v1/residents/{row['id']}").json()
    by_name = {r["name"]: r for r in rows}
    assert by_name["王小"]["address"] == "A1小区7号楼201室"
    assert by_name["王老"]["address"].startswith("A1小区1号楼1单元")
    assert by_name["王老"]["tags"] == ["living_alone", "disabled"]  # in the order Tag lists them, every time
    assert by_name["王老"]["age_tags"]
    assert "*" in by_name["王中"]["id_number"]
