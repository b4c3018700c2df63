"""网格地图: a worked example on top of the March 2026 example (tests/insights/conftest.py).

Added to the example, all created in March 2026 unless said otherwise:
  a2    grid A2, closed, replied in time, resolved, satisfied
  loose community A itself (no grid), in progress, reply and step deadlines passed (overdue, late reply)
  bg    grid B1, closed, replied in time, resolved, unsatisfied
  apr   grid A1, created in April (outside the period)
The example's five counted cases of A lie in grid A1 (c4 overdue); its case of B lies on community B itself.

  grid A1: 5 cases, response 2/4 = 50.0, satisfaction 1/2 = 50.0, overdue 1
  grid A2: 1 case, 100.0 satisfaction, overdue 0
  A, not in a grid: 1 case, response 0/1 = 0.0, no rating, overdue 1
  community A: 7 cases, response 3/6 = 50.0, satisfaction 2/3 = 66.7, overdue 2
  grid B1: 1 case, satisfaction 0/1 = 0.0 · B, not in a grid: 1 case, satisfaction 100.0
  community B: 2 cases, satisfaction 1/2 = 50.0 · street: 9 cases, overdue 2
"""

import datetime as dt
import html as htmllib
import re

import pytest
from django.test import Client
from django.utils import timezone

from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.models import Appeal
from gongzhi.insights import rates
from gongzhi.insights.gridmap import grid_map
from gongzhi.insights.rollup import run_rollup
from tests.conftest import CHROMIUM
from tests.factories.accounts import PASSWORD
from tests.factories.appeals import appeal_in


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


def _set(appeal, **fields):
    Appeal.objects.filter(pk=appeal.pk).update(**fields)


@pytest.fixture
def world(example):
    t = example.tree
    a2 = appeal_in(example, AppealStatus.CLOSED)
    building = t.buildings["A2-1"]
    _set(a2, created_at=at("2026-03-15 09:00"), place=building, path=building.path, responded_in_time=True,
         resolved=True, satisfied=True)
    loose = appeal_in(example, AppealStatus.IN_PROGRESS)
    _set(loose, created_at=at("2026-03-16 09:00"), place=None, path=t.community_a.path,
         reply_due_at=at("2026-03-20 18:00"), due_at=at("2026-03-20 18:00"))
    bg = appeal_in(example, AppealStatus.CLOSED)
    building = t.buildings["B1-1"]
    _set(bg, created_at=at("2026-03-21 09:00"), community=t.community_b, place=building, path=building.path,
         responded_in_time=True, resolved=True, satisfied=False)
    apr = appeal_in(example, AppealStatus.CLOSED)
    _set(apr, created_at=at("2026-04-02 09:00"), responded_in_time=True, resolved=True, satisfied=True)
    return example


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _figures(tile):
    return (tile["cases"], tile["overdue"], tile["response_rate"], tile["satisfaction_rate"])


def test_worked_example_through_the_api(world, api):
    t = world.tree
    r = api(world.street).get("/api/v1/insights/gridmap", place=t.street.pk, period="2026-03")
    assert r.status_code == 200
    body = r.json()
    assert body["period"] == "2026-03"
    assert body["place"]["id"] == t.street.pk
    a, b = body["communities"]
    assert (a["name"], b["name"]) == ("军门社区", "斗池社区")
    assert [(g["name"], *_figures(g)) for g in a["grids"]] == [
        ("第A1网格", 5, 1, 50.0, 50.0), ("第A2网格", 1, 0, 100.0, 100.0)]
    assert a["grids"][0]["resolution_rate"] == 66.7
    assert a["grids"][0]["id"] == t.grid_a1.pk
    assert _figures(a["not_in_grid"]) == (1, 1, 0.0, None)
    assert _figures(a) == (7, 2, 50.0, 66.7)
    assert [(g["name"], *_figures(g)) for g in b["grids"]] == [("第B1网格", 1, 0, 100.0, 0.0)]
    assert _figures(b["not_in_grid"]) == (1, 0, 100.0, 100.0)
    assert _figures(b) == (2, 0, 100.0, 50.0)
    assert body["totals"] == {"cases": 9, "overdue": 2, "grids": 3}
    # the same figures as the dashboard: the street's rates and each community's row of the ranking
    rates_body = api(world.street).get("/api/v1/insights/rates", place=t.street.pk, period="2026-03").json()
    assert rates_body["rates"]["cases"] == body["totals"]["cases"]
    assert rates_body["overdue"] == body["totals"]["overdue"]
    ranking = {c["community_id"]: c for c in rates_body["ranking"]}
    for block in body["communities"]:
        row = ranking[block["id"]]
        assert (row["cases"], row["response_rate"], row["resolution_rate"], row["satisfaction_rate"],
                row["score"]) == (block["cases"], block["response_rate"], block["resolution_rate"],
                                  block["satisfaction_rate"], block["score"])


def test_other_units_and_periods(world, api):
    t = world.tree
    own = api(world.secretary_a).get("/api/v1/insights/gridmap", period="2026-03").json()
    assert [c["name"] for c in own["communities"]] == ["军门社区"]
    grid = api(world.secretary_a).get("/api/v1/insights/gridmap", place=t.grid_a1.pk, period="2026-03").json()
    assert [(c["name"], [g["name"] for g in c["grids"]], c["not_in_grid"]) for c in grid["communities"]] == [
        ("军门社区", ["第A1网格"], None)]
    assert grid["totals"] == {"cases": 5, "overdue": 1, "grids": 1}
    april = api(world.admin).get("/api/v1/insights/gridmap", place=t.district.pk, period="2026-04").json()
    assert april["communities"][0]["street"] == "东街街道"
    assert april["totals"] == {"cases": 1, "overdue": 2, "grids": 3}  # overdue is "now", whatever the month
    below = api(world.street).get("/api/v1/insights/gridmap", place=t.buildings["A1-1"].pk, period="2026-03")
    assert below.json()["communities"] == []


def test_scope_and_bad_input(world, api):
    t = world.tree
    url = "/api/v1/insights/gridmap"
    sec = api(world.secretary_a)
    assert sec.get(url, place=t.community_b.pk, period="2026-03").status_code == 404
    assert sec.get(url, place=t.grid_b1.pk, period="2026-03").status_code == 404
    assert sec.get(url, place=t.street.pk, period="2026-03").status_code == 404
    assert sec.get(url, place=999999).status_code == 404
    for user in (world.grid_a1, world.resident_a, world.dept):
        assert api(user).get(url, place=t.grid_a1.pk, period="2026-03").status_code == 404
        assert api(user).get(url).status_code == 404
    assert api().get(url).status_code == 401
    bad = sec.get(url, period="2026-3")
    assert bad.status_code == 422
    assert bad.json()["field"] == "period"


def test_grouped_reads_only(world, django_assert_num_queries):
    """Communities, grids, the period's cases and the overdue cases: four reads, however many grids."""
    with django_assert_num_queries(4):
        grid_map(world.tree.district, "2026-03")


def test_the_same_after_the_rollup(world):
    street = world.tree.street
    before = grid_map(street, "2026-03")
    run_rollup(full=True)
    assert grid_map(street, "2026-03") == before
    assert rates.summary(street, "2026-03")["rates"]["cases"] == before["totals"]["cases"]


def _links(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="(/console/insights/cases/[^"]*)"', html)]


def test_page_tiles_drill_down_to_their_cases(world):
    t = world.tree
    c = _client(world.street)
    r = c.get("/console/insights/gridmap/", {"place": t.street.pk, "period": "2026-03"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "第A1网格" in html
    assert "<script>" not in html
    links = _links(html)
    expected = {
        (t.grid_a1.pk, "cases"): 5, (t.grid_a1.pk, "overdue"): 1, (t.grid_a1.pk, "unsatisfied"): 1,
        (t.grid_a2.pk, "cases"): 1, (t.grid_a2.pk, "overdue"): 0, (t.grid_b1.pk, "unsatisfied"): 1,
    }
    for (grid, figure), n in expected.items():
        link = next(li for li in links if f"place={grid}&" in li and li.endswith(f"figure={figure}"))
        drill = c.get(link)
        assert drill.status_code == 200
        assert drill.context["count"] == n, (grid, figure)
    assert f'class="tile band-poor" data-grid="{t.grid_b1.pk}"' in html
    assert f'class="tile band-good" data-grid="{t.grid_a2.pk}"' in html
    # the dashboard loads the fragment; the fragment has no page around it
    page = c.get("/console/insights/", {"place": t.street.pk, "period": "2026-03"}).content.decode()
    src = htmllib.unescape(re.search(r'id="gridmap" data-src="([^"]+)"', page).group(1))
    fragment = c.get(src)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert _links(fragment.content.decode()) == links


def test_page_scope(world):
    t = world.tree
    sec = _client(world.secretary_a)
    assert sec.get("/console/insights/gridmap/", {"place": t.community_b.pk}).status_code == 404
    assert sec.get("/console/insights/gridmap/", {"place": t.street.pk, "fragment": 1}).status_code == 404
    own = sec.get("/console/insights/gridmap/", {"period": "2026-03"}).content.decode()
    assert "第A1网格" in own
    assert "第B1网格" not in own
    assert _client(world.grid_a1).get("/console/insights/gridmap/").status_code == 404
    assert _client(world.resident_a).get("/console/insights/gridmap/").status_code == 404
    assert Client().get("/console/insights/gridmap/").status_code == 302


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium")
def test_browser_dashboard_draws_the_map_and_a_tile_opens_its_cases(transactional_db, world, live_server, browser,
                                                                     tmp_path):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    t = world.tree
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
    page.set_default_timeout(60000)  # a shared, loaded machine
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", world.street.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/console/insights/?period=2026-03")
    tile = page.locator(f'#gridmap .tile[data-grid="{t.grid_a1.pk}"]')  # fetched by dashboard.js, CSP-clean
    expect(tile).to_have_attribute("data-cases", "5")
    expect(page.locator("#gridmap .tile")).to_have_count(5)  # 3 grids, 2 "not in a grid"
    tile.click(position={"x": 3, "y": 3})  # the tile itself, not one of its links
    expect(page.locator("#cases")).to_have_attribute("data-count", "5")
    expect(page.locator("h1").first).to_contain_text(t.grid_a1.name)
    page.go_back()
    page.locator(f'#gridmap .tile[data-grid="{t.grid_a1.pk}"] a[data-figure="overdue"]').click()
    expect(page.locator("#cases")).to_have_attribute("data-count", "1")
    page.go_back()
    with page.expect_download() as info:
        page.click('a[href*="yearly.xlsx"]')
    out = tmp_path / "yearly.xlsx"
    info.value.save_as(out)
    year = {r[0]: r[1] for r in load_workbook(out)["三率"].iter_rows(values_only=True)}
    assert year["诉求件数"] == 11  # 9 in March, 1 in February, 1 in April
