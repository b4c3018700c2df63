from django.test import override_settings

from gongzhi.accounts.enums import Role
from gongzhi.insights import rates
from tests.factories.accounts import make_user


def test_worked_example_community_a(example):
    r = rates.rates_for(example.tree.community_a.path, "2026-03")
    assert (r.cases, r.responded, r.response_due) == (5, 2, 4)
    assert (r.resolved, r.resolution_known, r.satisfied, r.rated) == (2, 3, 1, 2)
    assert (r.response_rate, r.resolution_rate, r.satisfaction_rate, r.score) == (50.0, 66.7, 50.0, 55.8)


def test_street_adds_up_both_communities(example):
    r = rates.rates_for(example.tree.street.path, "2026-03")
    assert (r.cases, r.responded, r.response_due, r.resolved, r.resolution_known, r.satisfied, r.rated) == (
        6, 3, 5, 3, 4, 2, 3)
    assert (r.response_rate, r.resolution_rate, r.satisfaction_rate) == (60.0, 75.0, 66.7)


def test_weights_are_configurable(example):
    with override_settings(GONGZHI_RATE_WEIGHTS="100,0,0"):
        assert rates.rates_for(example.tree.community_a.path, "2026-03").score == 50.0
    with override_settings(GONGZHI_RATE_WEIGHTS="0,1,0"):
        assert rates.rates_for(example.tree.community_a.path, "2026-03").score == 66.7


def test_empty_period_has_no_rates(example):
    r = rates.rates_for(example.tree.community_a.path, "2025-01")
    assert (r.cases, r.response_rate, r.score) == (0, None, None)


def test_ranking_and_comparison(example):
    s = rates.summary(example.tree.street, "2026-03")
    assert [(c["name"], c["rank"], c["score"]) for c in s["ranking"]] == [("斗池社区", 1, 100.0), ("军门社区", 2, 55.8)]
    a = rates.summary(example.tree.community_a, "2026-03")
    assert a["previous_period"] == "2026-02"
    assert a["previous"]["response_rate"] == 100.0
    assert a["change"] == {"response_rate": -50.0, "resolution_rate": -33.3, "satisfaction_rate": -50.0,
                           "score": -44.2}
    assert a["overdue"] == 1
    assert a["by_week"] == [{"week": "2026-03-02", "count": 2}, {"week": "2026-03-09", "count": 2},
                            {"week": "2026-03-30", "count": 1}]


def test_months():
    assert rates.previous_month("2026-01") == "2025-12"
    assert rates.previous_month("2026-03") == "2026-02"
    start, end = rates.parse_month("2026-12")
    assert (start.date().isoformat(), end.date().isoformat()) == ("2026-12-01", "2027-01-01")


def test_api_scoped(example, api):
    t = example.tree
    body = api(example.street).get("/api/v1/insights/rates", place=t.community_a.pk, period="2026-03").json()
    assert body["rates"]["score"] == 55.8
    assert api(example.secretary_a).get("/api/v1/insights/rates", place=t.community_a.pk,
                                        period="2026-03").status_code == 200
    # out of scope → 404, like a missing place
    assert api(example.secretary_a).get("/api/v1/insights/rates", place=t.community_b.pk).status_code == 404
    assert api(example.secretary_a).get("/api/v1/insights/rates", place=t.street.pk).status_code == 404
    assert api(example.secretary_a).get("/api/v1/insights/rates", place=999999).status_code == 404
    # roles without insight access see nothing
    assert api(example.grid_a1).get("/api/v1/insights/rates", place=t.grid_a1.pk).status_code == 404
    assert api(example.resident_a).get("/api/v1/insights/rates").status_code == 404
    # the default unit is the user's own
    body = api(example.secretary_a).get("/api/v1/insights/rates", period="2026-03").json()
    assert body["place"]["id"] == t.community_a.pk
    bad = api(example.street).get("/api/v1/insights/rates", period="2026-13")
    assert bad.status_code == 422
    assert bad.json()["field"] == "period"


def test_api_needs_login(example, api):
    assert api().get("/api/v1/insights/rates").status_code == 401
    assert make_user("admin2", Role.ADMIN) is not None
