"""年报: `gongzhi report yearly` and the dashboard's yearly downloads reproduce the monthly figures of 2026.

The example (tests/insights/conftest.py) has 6 counted cases in March 2026 and 1 in February; a case of 2025
is added for the comparison with the previous year.
"""

import datetime as dt
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.appeals.enums import AppealStatus
from gongzhi.appeals.models import Appeal
from gongzhi.insights.reports import COUNT_ROWS, RATE_ROWS
from gongzhi.insights.rollup import run_rollup
from tests.factories.appeals import appeal_in

COUNTS = [label for _, label in COUNT_ROWS]
SCORE = 74.2  # (30·66.67 + 35·80 + 35·75) / 100 = 74.25, rounded half to even


@pytest.fixture
def world(example):
    old = appeal_in(example, AppealStatus.CLOSED)
    Appeal.objects.filter(pk=old.pk).update(
        created_at=timezone.make_aware(dt.datetime.fromisoformat("2025-06-01 09:00")), responded_in_time=True,
        resolved=False,
        satisfied=False)
    return example


def _rows(wb, name):
    return [list(r) for r in wb[name].iter_rows(values_only=True)]


def _report(kind, unit, period, out):
    flag = "--year" if kind == "yearly" else "--month"
    call_command("report", kind, "--unit", str(unit), flag, period, "--out", str(out), stdout=StringIO())
    return out


def test_yearly_equals_the_sum_of_the_monthly_reports_and_the_dashboard(world, api, tmp_path):
    street = world.tree.street
    wb = load_workbook(_report("yearly", street.pk, "2026", tmp_path / "y.xlsx"))
    year_rates = {r[0]: r[1:] for r in _rows(wb, "三率")[1:]}
    months = _rows(wb, "逐月")
    assert months[0][:6] == ["月份", "诉求件数", "响应率 (%)", "解决率 (%)", "满意率 (%)", "综合得分"]
    by_month = {r[0]: r for r in months[1:]}
    assert list(by_month) == [f"2026-{m:02d}" for m in range(1, 13)] + ["全年"]
    summed = dict.fromkeys(COUNTS, 0)
    for m in range(1, 13):
        month = f"2026-{m:02d}"
        monthly = load_workbook(_report("monthly", street.pk, month, tmp_path / f"{month}.xlsx"))
        monthly_rates = {r[0]: r[1] for r in _rows(monthly, "三率")[1:]}
        dashboard = api(world.street).get("/api/v1/insights/rates", place=street.pk, period=month).json()["rates"]
        row = by_month[month]
        # each month of the year = that month's report = that month's dashboard
        assert row[1:6] == [monthly_rates[label] for _, label in [COUNT_ROWS[0], *RATE_ROWS]]
        assert row[1:6] == [dashboard[k] for k in ("cases", "response_rate", "resolution_rate",
                                                   "satisfaction_rate", "score")]
        assert row[6:] == [dashboard[k] for k in ("responded", "response_due", "resolved", "resolution_known",
                                                  "satisfied", "rated")]
        for label in COUNTS:
            summed[label] += monthly_rates[label]
    assert {label: year_rates[label][0] for label in COUNTS} == summed
    assert summed["诉求件数"] == 7
    assert by_month["全年"][1] == 7
    # the year's rates come from the summed counts: response 4/6, resolution 4/5, satisfaction 3/4,
    # score (30·66.67 + 35·80 + 35·75) / 100 = 74.25
    assert [year_rates[label][0] for _, label in RATE_ROWS] == [66.7, 80.0, 75.0, SCORE]
    assert by_month["全年"][2:6] == [66.7, 80.0, 75.0, SCORE]
    # against 2025: one case, replied in time, not resolved, unsatisfied
    assert year_rates["响应率 (%)"] == [66.7, 100.0, -33.3]
    assert year_rates["满意率 (%)"] == [75.0, 0.0, 75.0]
    # the year's top problems are the categories of its months
    march = api(world.street).get("/api/v1/insights/rates", place=street.pk, period="2026-03").json()
    february = api(world.street).get("/api/v1/insights/rates", place=street.pk, period="2026-02").json()
    expected: dict = {}
    for c in march["by_category"] + february["by_category"]:
        expected[c["category"] or "未分类"] = expected.get(c["category"] or "未分类", 0) + c["count"]
    top = _rows(wb, "年度主要问题")
    assert top[0] == ["排名", "类别", "件数", "占比 (%)"]
    assert {r[1]: r[2] for r in top[1:]} == expected
    assert [r[0] for r in top[1:]] == list(range(1, len(top)))
    ranking = [(r[0], r[1], r[2]) for r in _rows(wb, "社区排名")[1:]]
    assert ranking == [(1, "斗池社区", 1), (2, "军门社区", 6)]
    overview = {r[0]: r[1] for r in _rows(wb, "概况")}
    assert (overview["年度"], overview["对比年度"], overview["超期未办结"]) == (2026, 2025, 1)
    assert {"服务申请", "议事与志愿"} <= set(wb.sheetnames)


def test_the_same_from_the_rollup_and_as_pdf(world, tmp_path):
    street = world.tree.street
    live = _rows(load_workbook(_report("yearly", street.pk, "2026", tmp_path / "a.xlsx")), "逐月")
    run_rollup(full=True)
    assert _rows(load_workbook(_report("yearly", street.pk, "2026", tmp_path / "b.xlsx")), "逐月") == live
    pdf = _report("yearly", "军门社区", "2026", tmp_path / "y.pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_bad_input(world, tmp_path):
    out = tmp_path / "y.xlsx"
    for year in ("20x6", "26", "1999", "2026-03"):
        with pytest.raises(CommandError, match="four digits"):
            _report("yearly", "军门社区", year, out)
    with pytest.raises(CommandError, match="not begun"):
        _report("yearly", "军门社区", str(timezone.localtime().year + 1), out)
    with pytest.raises(CommandError, match="unit"):
        _report("yearly", "nowhere", "2026", out)
    assert not out.exists()


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_download_links_and_scope(world):
    t = world.tree
    sec = _client(world.secretary_a)
    page = sec.get("/console/insights/", {"period": "2026-03"}).content.decode()
    assert f"/console/insights/yearly.xlsx?place={t.community_a.pk}&amp;year=2026" in page
    assert f"/console/insights/yearly.pdf?place={t.community_a.pk}&amp;year=2026" in page
    r = sec.get("/console/insights/yearly.xlsx", {"place": t.community_a.pk, "year": "2026"})
    assert r.status_code == 200
    assert f'filename="yearly-{t.community_a.pk}-2026.xlsx"' in r["Content-Disposition"]
    rows = {row[0]: row[1] for row in load_workbook(BytesIO(r.content))["三率"].iter_rows(values_only=True)}
    assert rows["诉求件数"] == 6  # community A: 5 in March, 1 in February
    assert sec.get("/console/insights/yearly.pdf", {"year": "2026"}).content[:5] == b"%PDF-"
    # out of scope, unknown, or not a reader at all: 404; a bad year: 404 naming the reason
    assert sec.get("/console/insights/yearly.xlsx", {"place": t.community_b.pk, "year": "2026"}).status_code == 404
    assert sec.get("/console/insights/yearly.xlsx", {"place": t.street.pk, "year": "2026"}).status_code == 404
    assert sec.get("/console/insights/yearly.xlsx", {"year": "next"}).status_code == 404
    this_year = timezone.localdate().year  # no year given: this year's report so far
    assert f'-{this_year}.xlsx"' in sec.get("/console/insights/yearly.xlsx")["Content-Disposition"]
    assert _client(world.grid_a1).get("/console/insights/yearly.xlsx", {"year": "2026"}).status_code == 404
    assert _client(world.resident_a).get("/console/insights/yearly.pdf", {"year": "2026"}).status_code == 404
    assert Client().get("/console/insights/yearly.xlsx", {"year": "2026"}).status_code == 302
