"""The year's (or month's) top problems: report, API and page."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongzhi.appeals import services as appeal_services
from gongzhi.appeals.enums import Channel
from tests.factories.appeals import make_world

pytestmark = pytest.mark.django_db

YEAR = 2025
FUMES = ["楼下烧烤店油烟直排，晚上不敢开窗，联系电话13812345678", "小区门口饭店油烟太大，衣服都晾不了",
         "一楼餐馆油烟熏得整栋楼都是味", "沙县小吃没装油烟净化器，油烟直接往楼上冒", "夜宵摊烧烤油烟呛人，孩子一直咳嗽"]
LIFTS = ["楼里老人多，上下楼很困难，希望加装电梯", "我们楼加装电梯，一楼住户不同意",
         "加装电梯的审批材料交上去两个月了还没批下来"]
OTHER = ["想咨询低保怎么申请", "宽带经常掉线，报修了也没人来"]


@pytest.fixture
def world(builtin):
    world = make_world()
    at = dt.datetime(YEAR, 3, 1, 10, tzinfo=timezone.get_current_timezone())
    for n, text in enumerate(FUMES + LIFTS + OTHER):
        file(world, text, at + dt.timedelta(days=n))
    for text in FUMES[:2]:
        file(world, text, at.replace(year=YEAR - 1))
    file(world, LIFTS[0], at.replace(year=YEAR + 1))  # another year: not counted
    return world


def file(world, text, at):
    return appeal_services.submit_appeal(actor=world.secretary_a, community=world.tree.community_a,
                                         place=world.tree.buildings["A1-1"], text=text, channel=Channel.PHONE,
                                         created_at=at)


def report(*args) -> str:
    out = StringIO()
    call_command("report", "top-problems", *args, stdout=out)
    return out.getvalue()


def test_the_report_ranks_problems_with_counts_change_and_redacted_examples(world):
    data = json.loads(report("--unit", str(world.tree.community_a.pk), "--year", str(YEAR), "--json"))

    assert (data["period"], data["previous_period"], data["total"], data["previous_total"]) == ("2025", "2024", 10, 2)
    first, second = data["problems"][:2]
    assert (first["rank"], first["subcategory"], first["count"], first["previous"], first["change"]) == (
        1, "environment/fumes", 5, 2, 3)
    assert first["change_pct"] == 1.5
    assert first["label"].startswith("环境保护·餐饮油烟：")
    assert "油烟" in "".join(first["terms"])
    assert (second["subcategory"], second["count"], second["previous"], second["change_pct"]) == (
        "urban-rural/lift", 3, 0, None)
    assert sum(p["count"] for p in data["problems"]) == 10
    texts = [e["text"] for e in first["examples"]]
    assert len(texts) == 3
    assert not any("13812345678" in t for t in texts)
    assert any("[电话]" in t for t in texts) or all("联系电话" not in t for t in texts)


def test_the_printed_report_reads_as_a_list(world):
    text = report("--unit", "军门社区", "--year", str(YEAR))

    lines = text.splitlines()
    assert lines[0] == "军门社区 2025年 诉求4大问题（共 10 件；上期 2024 共 2 件）"
    assert lines[1].startswith(" 1. 环境保护·餐饮油烟：")
    assert "5 件" in lines[1]
    assert "较上期 +3（+150%）" in lines[1]


def test_a_month_compares_with_the_month_before(world):
    data = json.loads(report("--unit", str(world.tree.community_a.pk), "--year", str(YEAR), "--month", "3",
                             "--json"))

    assert (data["period"], data["previous_period"], data["total"], data["previous_total"]) == ("2025-03", "2025-02",
                                                                                               10, 0)


def test_the_api_answers_staff_of_the_unit_only(api, world):
    url = "/api/v1/triage/top-problems"
    unit = world.tree.community_a.pk

    ok = api(world.secretary_a).get(url, unit=unit, year=YEAR)
    grid = api(world.grid_a1).get(url, unit=unit, year=YEAR)  # a grid worker cannot report on the community
    other = api(world.secretary_b).get(url, unit=unit, year=YEAR)
    bad = api(world.secretary_a).get(url, unit=unit, year=1800)

    assert ok.status_code == 200
    assert ok.json()["problems"][0]["count"] == 5
    assert grid.status_code == 404
    assert other.status_code == 404
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "year")


def test_the_grid_workers_report_counts_only_their_grid(api, world):
    grid = world.tree.grid_a1.pk

    body = api(world.grid_a1).get("/api/v1/triage/top-problems", unit=grid, year=YEAR).json()

    assert body["total"] == 10  # every case was filed in building A1-1


def test_the_page_shows_the_table(client, world):
    client.force_login(world.secretary_a)

    response = client.get("/console/triage/", {"unit": world.tree.community_a.pk, "year": YEAR})

    assert response.status_code == 200
    page = response.content.decode()
    assert "环境保护·餐饮油烟" in page
    assert 'id="triage-chart"' in page
    assert "13812345678" not in page
