"""问卷调查: the 平安三率 template, answers from the portal and from staff, results per grid with the
sample size and the 95 % margin of error, and who may do what."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.insights.surveys import margin_of_error


def test_margin_of_error_worked_example():
    # p = 0.9, n = 100: 1.96 · √(0.09/100) = 5.88 points; with N = 1000: × √(900/999) = 5.58
    assert round(margin_of_error(0.9, 100), 2) == 5.88
    assert round(margin_of_error(0.9, 100, 1000), 2) == 5.58
    assert round(margin_of_error(0.5, 400), 2) == 4.9
    assert margin_of_error(0.5, 0) is None
    assert margin_of_error(1.0, 50) == 0.0
    assert round(margin_of_error(0.9, 100, 100), 2) == 5.88  # N ≤ n: no correction


def _answers(security, awareness, satisfaction):
    return {"answers": {"security": security, "awareness": awareness, "satisfaction": satisfaction}}


@pytest.fixture
def survey(example, api):
    t = example.tree
    today = timezone.localdate()
    body = {"place": t.community_a.pk, "title": "2026年平安三率调查", "template": "safety",
            "opens_on": today.isoformat(), "closes_on": (today + dt.timedelta(days=30)).isoformat()}
    assert api(example.secretary_b).post("/api/v1/insights/surveys", body).status_code == 404
    r = api(example.secretary_a).post("/api/v1/insights/surveys", body)
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_safety_survey_end_to_end(example, api, survey):
    t = example.tree
    url = f"/api/v1/insights/surveys/{survey}"
    a1 = t.buildings["A1-1"].pk
    a2 = t.buildings["A2-1"].pk
    # not open yet
    r = api(example.grid_a1).post(f"{url}/responses", {"place": a1, **_answers("safe", "know", "satisfied")})
    assert (r.status_code, r.json()["code"]) == (409, "survey_not_open")
    assert api(example.secretary_a).post(f"{url}/status", {"status": "open"}).json()["status"] == "open"
    for sec, aw in [("safe", "know"), ("safe", "know"), ("fairly_safe", "know_some"), ("unsafe", "dont_know")]:
        r = api(example.grid_a1).post(f"{url}/responses", {"place": a1, **_answers(sec, aw, "satisfied")})
        assert (r.status_code, r.json()["channel"]) == (201, "staff")
    # a grid worker enters answers in their own grid only
    r = api(example.grid_a1).post(f"{url}/responses", {"place": a2, **_answers("safe", "know", "satisfied")})
    assert r.status_code == 404
    r = api(example.grid_a2).post(f"{url}/responses", {"place": a2, **_answers("unsafe", "dont_know", "unsatisfied")})
    assert r.status_code == 201
    # the resident answers once, on the portal, for their own place
    r = api(example.resident_a).post(f"{url}/responses", _answers("safe", "know", "basically"))
    assert (r.status_code, r.json()["channel"]) == (201, "portal")
    r = api(example.resident_a).post(f"{url}/responses", _answers("safe", "know", "basically"))
    assert (r.status_code, r.json()["code"]) == (409, "already_answered")
    assert api(example.resident_b).post(f"{url}/responses", _answers("safe", "know", "basically")).status_code == 404
    bad = api(example.grid_a1).post(f"{url}/responses", {"place": a1, **_answers("maybe", "know", "satisfied")})
    assert (bad.status_code, bad.json()["field"]) == (422, "answers.security")

    res = api(example.secretary_a).get(f"{url}/results").json()
    units = {u["name"]: u for u in res["units"]}
    assert list(units) == ["军门社区", "第A1网格", "第A2网格"]
    community = units["军门社区"]
    q = {x["code"]: x for x in community["questions"]}
    # security: safe ×3 + fairly safe = 4 of 6; MoE = 1.96·√(⅔·⅓/6) = 37.72 (N = 1 resident ≤ n: no correction)
    assert (community["respondents"], q["security"]["n"], q["security"]["positive"]) == (6, 6, 4)
    assert (q["security"]["rate"], q["security"]["margin"]) == (66.67, 37.72)
    assert (q["awareness"]["positive"], q["satisfaction"]["positive"]) == (4, 5)
    g1 = {x["code"]: x for x in units["第A1网格"]["questions"]}
    assert (g1["security"]["n"], g1["security"]["rate"], g1["security"]["margin"]) == (5, 80.0, 35.06)
    assert units["第A2网格"]["questions"][0]["rate"] == 0.0

    # a grid worker reads their own grid's results only; another community reads nothing
    mine = api(example.grid_a1).get(f"{url}/results").json()
    assert [u["name"] for u in mine["units"]] == ["第A1网格"]
    assert api(example.secretary_b).get(f"{url}/results").status_code == 404
    assert api(example.resident_a).get(f"{url}/results").status_code == 404
    assert api(example.street).get(f"{url}/results").json()["units"][0]["respondents"] == 6

    sample = api(example.secretary_a).get(f"{url}/sample", size=5, seed=3).json()
    assert len(sample) == 1
    assert sample[0]["name"] != "李秀英"
    assert sample[0]["name"].startswith("李")
    assert api(example.secretary_a).post(f"{url}/status", {"status": "draft"}).status_code == 422
    assert api(example.secretary_a).post(f"{url}/status", {"status": "closed", "published": True}).status_code == 200
    r = api(example.grid_a1).post(f"{url}/responses", {"place": a1, **_answers("safe", "know", "satisfied")})
    assert r.status_code == 409


def test_custom_questions_are_validated(example, api):
    today = timezone.localdate().isoformat()
    base = {"place": example.tree.community_a.pk, "title": "x", "opens_on": today, "closes_on": today}
    one_choice = {**base, "questions": [{"code": "q1", "text": "?", "choices": [{"value": "y", "label": "是",
                                                                                "positive": True}]}]}
    r = api(example.secretary_a).post("/api/v1/insights/surveys", one_choice)
    assert (r.status_code, r.json()["field"]) == (422, "questions.0.choices")
    r = api(example.secretary_a).post("/api/v1/insights/surveys", {**base, "template": "nope"})
    assert (r.status_code, r.json()["field"]) == (422, "template")
    r = api(example.secretary_a).post("/api/v1/insights/surveys", {**base, "closes_on": "2000-01-01"})
    assert (r.status_code, r.json()["field"]) == (422, "closes_on")
