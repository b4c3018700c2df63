"""钻取: every figure on the dashboard opens the cases behind it, for the figure's place, in the viewer's scope."""

import html as htmllib
import re

from django.test import Client


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'<td class="mono">(\d+)</td>', response.content.decode())]


def _links(html: str) -> list[str]:
    return [htmllib.unescape(h) for h in re.findall(r'href="(/console/insights/cases/[^"]*)"', html)]


def test_each_stat_link_carries_the_place_and_opens_its_cases(example):
    t = example.tree
    c = _client(example.street)
    page = c.get("/console/insights/", {"period": "2026-03"}).content.decode()
    links = _links(page)
    expected = {"cases": 6, "not_responded": 2, "unresolved": 1, "unsatisfied": 1, "overdue": 1}
    for figure, n in expected.items():
        link = next(li for li in links if f"figure={figure}" in li)
        assert f"place={t.street.pk}" in link
        r = c.get(link)
        assert r.status_code == 200
        assert r.context["count"] == n, figure
    # the ranking row of community A opens community A's cases only
    row_link = next(li for li in links if f"place={t.community_a.pk}&" in li)
    r = c.get(row_link)
    assert r.context["place"] == t.community_a
    assert r.context["count"] == 5
    assert all(a.community_id == t.community_a.pk for a in r.context["page"].object_list)


def test_category_and_week_links(example):
    c = _client(example.secretary_a)
    page = c.get("/console/insights/", {"period": "2026-03"}).content.decode()
    week_links = [li for li in _links(page) if "week=" in li]
    assert [c.get(li).context["count"] for li in week_links] == [2, 2, 1]
    category_link = next(li for li in _links(page) if "category=" in li)
    assert c.get(category_link).context["count"] == 5


def test_drill_down_scope(example):
    t = example.tree
    sec = _client(example.secretary_a)
    base = {"period": "2026-03", "figure": "cases"}
    assert sec.get("/console/insights/cases/", {**base, "place": t.community_b.pk}).status_code == 404
    assert sec.get("/console/insights/cases/", {**base, "place": t.street.pk}).status_code == 404
    own = sec.get("/console/insights/cases/", {**base, "place": t.community_a.pk})
    assert own.context["count"] == 5
    b = _client(example.secretary_b).get("/console/insights/cases/", {**base, "place": t.community_b.pk})
    assert b.context["count"] == 1
    assert set(_ids(b)).isdisjoint(_ids(own))
    assert _client(example.grid_a1).get("/console/insights/cases/", base).status_code == 404
    assert _client(example.resident_a).get("/console/insights/cases/", base).status_code == 404
    assert Client().get("/console/insights/cases/", base).status_code == 302


def test_drill_down_bad_input(example):
    sec = _client(example.secretary_a)
    assert sec.get("/console/insights/cases/", {"figure": "everything"}).status_code == 404
    assert sec.get("/console/insights/cases/", {"period": "2026-03", "week": "monday"}).status_code == 404
    assert sec.get("/console/insights/cases/", {"period": "2026-3"}).status_code == 404
