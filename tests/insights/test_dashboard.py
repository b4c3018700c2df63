import json
from io import BytesIO

from django.test import Client
from openpyxl import load_workbook


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_dashboard_shows_the_rates_and_ranking(example):
    c = _client(example.street)
    r = c.get("/console/insights/", {"period": "2026-03"})
    assert r.status_code == 200
    html = r.content.decode()
    assert example.tree.street.name in html
    charts = json.loads(html.split('id="insights-charts" type="application/json">')[1].split("</script>")[0])
    assert sum(c["value"] for c in charts["categories"]) == 6
    assert [w["count"] for w in charts["weeks"]] == [2, 2, 1, 1]
    assert 'data-figure="overdue"><span class="stat-value">1<' in html
    ranking = html.split('id="ranking"')[1]
    assert ranking.index("斗池社区") < ranking.index("军门社区")
    assert "vendor/echarts.min.js" in html
    assert "<script>" not in html  # no inline scripts


def test_dashboard_scope(example):
    t = example.tree
    c = _client(example.secretary_a)
    assert c.get("/console/insights/", {"period": "2026-03"}).context["place"] == t.community_a
    assert c.get("/console/insights/", {"place": t.community_b.pk}).status_code == 404
    assert c.get("/console/insights/", {"place": t.street.pk}).status_code == 404
    assert c.get("/console/insights/", {"period": "March"}).status_code == 404
    assert _client(example.grid_a1).get("/console/insights/").status_code == 404
    assert Client().get("/console/insights/").status_code == 302


def test_report_download_matches_the_page(example):
    c = _client(example.secretary_a)
    r = c.get("/console/insights/report.xlsx", {"period": "2026-03"})
    assert r.status_code == 200
    wb = load_workbook(BytesIO(r.content))
    rows = {row[0]: row[1] for row in wb["三率"].iter_rows(values_only=True)}
    assert rows["综合得分"] == 55.8
    assert c.get("/console/insights/report.xlsx", {"place": example.tree.community_b.pk}).status_code == 404
    assert c.get("/console/insights/report.pdf", {"period": "2026-03"}).content[:5] == b"%PDF-"
