"""双向评价 — a worked example with exact averages and objective rates, and a role × scope matrix trying to
break who evaluates whom and who reads what.

The round: 东街街道, 2026-01-01 – 2026-06-30, criteria speed/quality/attitude/cooperation, scores 1–5.
Cases of the period (counted): fumes department (生态环境局·大气环境科) — A1, A2 in 军门社区, B1 in 斗池社区;
water department (水务局·供水管理科) — W1 in 军门社区. Out of the period: fumes in A on 2026-08-01, water in B
on 2025-12-31 (so 斗池社区 did not deal with the water department).
Fumes rates under the street: responded 3/3 = 100.0, resolved 2/3 = 66.7, satisfied 1/2 = 50.0.
Scores (speed, quality, attitude, cooperation):
  street → fumes 5 4 4 3 · A → fumes 4 4 5 3 · B → fumes 3 2 4 4
      fumes means 4.0, 3.33, 4.33, 3.33; overall 45/12 = 3.75; n = 3
  A → street 4 3 4 5 · B → street 2 3 3 4      street means 3.0, 3.0, 3.5, 4.5; overall 28/8 = 3.5
  street → A 5 5 4 4                           A means 5.0, 5.0, 4.0, 4.0; overall 4.5
  A → water 3 3 3 3                            water: n = 1, hidden from the water department
"""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from gongzhi.accounts.enums import Role
from gongzhi.appeals.enums import AppealStatus
from gongzhi.core.models import AuditEvent
from gongzhi.insights import evaluation, rates
from gongzhi.insights.models import Evaluation, EvaluationRound
from gongzhi.registry import services as registry_services
from gongzhi.registry.enums import PlaceKind
from tests.factories.accounts import make_user
from tests.factories.appeals import appeal_in, make_world
from tests.insights.conftest import _set, at

CRITERIA = ("speed", "quality", "attitude", "cooperation")


def zh(msgid: str) -> str:
    """The message as the zh-Hans page shows it (escaped), whether or not its translation is merged yet."""
    with translation.override("zh-hans"):
        return escape(gettext(msgid))


def _scores(*values):
    return dict(zip(CRITERIA, values, strict=True))


@pytest.fixture
def world(db):
    w = make_world()
    t = w.tree
    fumes, water = w.fumes_department, w.other_department

    def case(created, community, department, **flags):
        c = appeal_in(w, AppealStatus.CLOSED)
        _set(c, created_at=at(created), community=community, path=community.path, place=None,
             department=department, **flags)
        return c

    case("2026-03-02 09:00", t.community_a, fumes, responded_in_time=True, resolved=True, satisfied=True)
    case("2026-03-03 09:00", t.community_a, fumes, responded_in_time=True, resolved=True, satisfied=False)
    case("2026-05-10 09:00", t.community_b, fumes, responded_in_time=True, resolved=False, satisfied=None)
    case("2026-04-01 09:00", t.community_a, water, responded_in_time=True, resolved=True, satisfied=True)
    case("2026-08-01 09:00", t.community_a, fumes, responded_in_time=False, resolved=False, satisfied=False)
    case("2025-12-31 09:00", t.community_b, water, responded_in_time=True, resolved=True, satisfied=True)
    street2 = registry_services.create_place(kind=PlaceKind.STREET, name="南街街道", parent=t.district)
    community_c = registry_services.create_place(kind=PlaceKind.COMMUNITY, name="澳门路社区", parent=street2)
    w.street2, w.community_c = street2, community_c
    w.secretary_c = make_user("secretary_c", Role.SECRETARY, place=community_c)
    w.street2_officer = make_user("street2", Role.STREET_OFFICER, place=street2)
    w.district_officer = make_user("district1", Role.STREET_OFFICER, place=t.district)
    w.round = evaluation.create_round(actor=w.street, place=t.street, name="2026年上半年双向评价",
                                      starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    return w


def _url(w, tail=""):
    return f"/api/v1/insights/evaluations/rounds/{w.round.pk}{tail}"


def _give(api, w, user, evaluator, kind, target, scores, comment=""):
    return api(user).post(_url(w, "/evaluations"), {"evaluator": evaluator.pk, "target_kind": kind,
                                                    "target": target.pk, "scores": scores, "comment": comment})


def _fill_example(api, w):
    t = w.tree
    fumes, water = w.fumes_department, w.other_department
    for user, unit, kind, target, s in [
        (w.street, t.street, "department", fumes, _scores(5, 4, 4, 3)),
        (w.secretary_a, t.community_a, "department", fumes, _scores(4, 4, 5, 3)),
        (w.secretary_b, t.community_b, "department", fumes, _scores(3, 2, 4, 4)),
        (w.secretary_a, t.community_a, "place", t.street, _scores(4, 3, 4, 5)),
        (w.secretary_b, t.community_b, "place", t.street, _scores(2, 3, 3, 4)),
        (w.street, t.street, "place", t.community_a, _scores(5, 5, 4, 4)),
        (w.secretary_a, t.community_a, "department", water, _scores(3, 3, 3, 3)),
    ]:
        r = _give(api, w, user, unit, kind, target, s, comment=f"{unit.name}的意见")
        assert r.status_code == 201, r.content


def _row(body, kind, target_id):
    return next(r for r in body["results"] if (r["target"]["kind"], r["target"]["id"]) == (kind, target_id))


def test_department_rates_are_filtered_by_department_and_street(world):
    start, end = evaluation.period(world.round)
    r = rates.department_rates_in(world.fumes_department.pk, world.tree.street.path, start, end)
    assert (r.cases, r.responded, r.response_due, r.resolved, r.resolution_known, r.satisfied, r.rated) == \
        (3, 3, 3, 2, 3, 1, 2)
    assert (r.response_rate, r.resolution_rate, r.satisfaction_rate) == (100.0, 66.7, 50.0)
    only_a = rates.department_rates_in(world.fumes_department.pk, world.tree.community_a.path, start, end)
    assert (only_a.cases, only_a.satisfaction_rate) == (2, 50.0)
    water = rates.department_rates_in(world.other_department.pk, world.tree.street.path, start, end)
    assert (water.cases, water.response_rate) == (1, 100.0)
    assert rates.department_rates_in(world.fumes_department.pk, world.street2.path, start, end).cases == 0


def test_who_evaluates_whom(world, api):
    t = world.tree
    fumes, water = world.fumes_department, world.other_department

    def targets(user):
        units = api(user).get(_url(world)).json()["units"]
        return {u["evaluator"]["id"]: {(x["kind"], x["id"], x["role"]) for x in u["targets"]} for u in units}

    assert targets(world.street) == {t.street.pk: {
        ("place", t.community_a.pk, "community"), ("place", t.community_b.pk, "community"),
        ("department", fumes.pk, "department"), ("department", water.pk, "department")}}
    assert targets(world.secretary_a) == {t.community_a.pk: {
        ("place", t.street.pk, "street"), ("department", fumes.pk, "department"),
        ("department", water.pk, "department")}}
    # 斗池社区's water case was in 2025: it did not deal with the water department this period
    assert targets(world.secretary_b) == {t.community_b.pk: {
        ("place", t.street.pk, "street"), ("department", fumes.pk, "department")}}
    assert api(world.dept).get(_url(world)).status_code == 404  # not evaluated in this round (yet)
    assert targets(world.admin) == {}  # an administrator reads everything but speaks for no unit


def test_worked_example_and_what_each_role_reads(world, api):
    t = world.tree
    fumes, water = world.fumes_department, world.other_department
    _fill_example(api, world)
    # before the round closes the evaluated see nothing received; the community sees what it gave
    assert api(world.dept).get(_url(world, "/results")).json()["results"] == []
    sec_a = api(world.secretary_a).get(_url(world, "/results")).json()
    assert sec_a["results"] == []
    assert {(g["target"]["kind"], g["target"]["id"]): g["scores"] for g in sec_a["given"]} == {
        ("department", fumes.pk): _scores(4, 4, 5, 3), ("place", t.street.pk): _scores(4, 3, 4, 5),
        ("department", water.pk): _scores(3, 3, 3, 3)}
    assert api(world.street).post(_url(world, "/close")).json()["closed"] is True

    full = api(world.street).get(_url(world, "/results")).json()
    f = _row(full, "department", fumes.pk)
    assert (f["n"], f["means"], f["overall"]) == (3, {"speed": 4.0, "quality": 3.33, "attitude": 4.33,
                                                      "cooperation": 3.33}, 3.75)
    assert f["objective"] == {"cases": 3, "response_rate": 100.0, "resolution_rate": 66.7, "satisfaction_rate": 50.0}
    assert [(e["evaluator"]["id"], e["scores"]["speed"]) for e in f["evaluations"]] == [
        (t.street.pk, 5), (t.community_a.pk, 4), (t.community_b.pk, 3)]
    a = _row(full, "place", t.community_a.pk)
    assert (a["n"], a["means"], a["overall"]) == (1, _scores(5.0, 5.0, 4.0, 4.0), 4.5)
    assert a["objective"] == {"cases": 3, "response_rate": 100.0, "resolution_rate": 100.0,
                              "satisfaction_rate": 66.7}
    s = _row(full, "place", t.street.pk)
    assert (s["n"], s["means"], s["overall"]) == (2, _scores(3.0, 3.0, 3.5, 4.5), 3.5)
    assert s["evaluations"] is None  # the street's own officers do not see which community scored them
    # officers above the street, and an administrator, see who gave which score to the street
    for user in (world.district_officer, world.admin):
        above = _row(api(user).get(_url(world, "/results")).json(), "place", t.street.pk)
        assert [e["evaluator"]["id"] for e in above["evaluations"]] == [t.community_a.pk, t.community_b.pk]

    # the fumes department: its own averages, never who scored it
    r = api(world.dept).get(_url(world, "/results"))
    body = r.json()
    [only] = body["results"]
    assert (only["target"]["id"], only["n"], only["overall"], only["evaluations"]) == (fumes.pk, 3, 3.75, None)
    assert only["means"] == f["means"]
    assert only["objective"] == f["objective"]
    assert body["given"] == []
    text = r.content.decode()
    assert "军门社区" not in text
    assert "斗池社区" not in text
    assert "意见" not in text
    # the water department was evaluated once: the average would be that community's score
    [w_row] = api(world.other_dept).get(_url(world, "/results")).json()["results"]
    assert (w_row["n"], w_row["hidden"], w_row["means"], w_row["overall"]) == (1, True, None, None)
    # 军门社区: its own received averages and what it gave; not the street's nor the departments'
    sec_a = api(world.secretary_a).get(_url(world, "/results")).json()
    assert [(r["target"]["id"], r["overall"], r["evaluations"]) for r in sec_a["results"]] == [
        (t.community_a.pk, 4.5, None)]
    assert len(sec_a["given"]) == 3
    # 斗池社区 received nothing
    assert api(world.secretary_b).get(_url(world, "/results")).json()["results"] == []


def test_editable_until_closed_then_final(world, api):
    t = world.tree
    r = _give(api, world, world.secretary_a, t.community_a, "place", t.street, _scores(1, 1, 1, 1))
    assert r.status_code == 201
    r = _give(api, world, world.secretary_a, t.community_a, "place", t.street, _scores(2, 2, 2, 2), "改了")
    assert (r.status_code, r.json()["scores"], r.json()["comment"]) == (200, _scores(2, 2, 2, 2), "改了")
    assert Evaluation.objects.count() == 1
    api(world.street).post(_url(world, "/close"))
    r = _give(api, world, world.secretary_a, t.community_a, "place", t.street, _scores(5, 5, 5, 5))
    assert (r.status_code, r.json()["code"]) == (409, "round_closed")
    assert Evaluation.objects.get().scores == _scores(2, 2, 2, 2)
    assert api(world.street).post(_url(world, "/close")).status_code == 409
    audit = AuditEvent.objects.filter(action__startswith="eval.").order_by("id")
    assert [(e.action, e.actor_id) for e in audit] == [
        ("eval.round_open", world.street.pk), ("eval.submit", world.secretary_a.pk),
        ("eval.update", world.secretary_a.pk), ("eval.round_close", world.street.pk)]
    assert all(e.data == {} for e in audit)  # no scores in the log: anonymous to the evaluated


@pytest.mark.parametrize(("scores", "comment", "field"), [
    (_scores(6, 3, 3, 3), "", "scores.speed"),
    (_scores(3, 0, 3, 3), "", "scores.quality"),
    ({"speed": 3, "quality": 3, "attitude": 3}, "", "scores.cooperation"),
    ({**_scores(3, 3, 3, 3), "beauty": 5}, "", "scores.beauty"),
    ({**_scores(3, 3, 3, 3), "speed": "fast"}, "", "scores.speed"),
    (_scores(3, 3, 3, 3), "长" * 501, "comment"),
])
def test_bad_scores_are_refused_with_the_field_and_change_nothing(world, api, scores, comment, field):
    t = world.tree
    assert _give(api, world, world.secretary_a, t.community_a, "place", t.street, _scores(4, 4, 4, 4)).status_code \
        == 201
    r = _give(api, world, world.secretary_a, t.community_a, "place", t.street, scores, comment)
    assert r.status_code == 422, r.content
    body = r.json()
    assert body.get("field") == field or field in {e["field"] for e in body.get("errors", [])}, body
    assert Evaluation.objects.get().scores == _scores(4, 4, 4, 4)


def test_scope_matrix(world, api):
    t = world.tree
    fumes, water = world.fumes_department, world.other_department
    good = _scores(3, 3, 3, 3)
    refused = [
        # a community of another street: the round does not exist for it
        (world.secretary_c, world.community_c, "place", t.street, 404),
        (world.secretary_c, t.community_a, "place", t.street, 404),
        # a community speaking for another community, or evaluating outside its own targets
        (world.secretary_a, t.community_b, "place", t.street, 404),
        (world.secretary_a, t.community_a, "place", t.community_b, 404),
        (world.secretary_b, t.community_b, "department", water, 404),
        # a community worker is not the secretary; a department, a resident, another street's officer
        (world.worker_a, t.community_a, "place", t.street, 404),
        (world.dept, t.street, "department", fumes, 404),
        (world.resident_a, t.community_a, "place", t.street, 404),
        (world.street2_officer, t.street, "place", t.community_a, 404),
        (world.admin, t.street, "place", t.community_a, 404),
    ]
    for user, unit, kind, target, status in refused:
        r = _give(api, world, user, unit, kind, target, good)
        assert r.status_code == status, (user.username, r.content)
    assert Evaluation.objects.count() == 0
    # rounds are listed only where one takes part; a resident or another street sees none
    assert [r["id"] for r in api(world.secretary_a).get("/api/v1/insights/evaluations/rounds").json()] == \
        [world.round.pk]
    for user in (world.resident_a, world.secretary_c, world.street2_officer, world.dept):
        assert api(user).get("/api/v1/insights/evaluations/rounds").json() == [], user.username
        assert api(user).get(_url(world, "/results")).status_code == 404, user.username
    # the fumes department sees the round once it has been evaluated in it
    _give(api, world, world.secretary_a, t.community_a, "department", fumes, good)
    assert [r["id"] for r in api(world.dept).get("/api/v1/insights/evaluations/rounds").json()] == [world.round.pk]
    # only the street (or above) closes the round
    assert api(world.secretary_a).post(_url(world, "/close")).status_code == 403
    assert api(world.dept).post(_url(world, "/close")).status_code == 403
    assert EvaluationRound.objects.get().closed is False


def test_opening_a_round(world, api):
    t = world.tree
    body = {"place": t.street.pk, "name": "2026年度", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
            "scale_min": 0, "scale_max": 100}
    assert api(world.secretary_a).post("/api/v1/insights/evaluations/rounds", body).status_code == 404
    assert api(world.street2_officer).post("/api/v1/insights/evaluations/rounds", body).status_code == 404
    r = api(world.street).post("/api/v1/insights/evaluations/rounds", {**body, "place": t.community_a.pk})
    assert (r.status_code, r.json()["field"]) == (422, "place")
    r = api(world.street).post("/api/v1/insights/evaluations/rounds", {**body, "ends_on": "2025-12-31"})
    assert (r.status_code, r.json()["field"]) == (422, "ends_on")
    r = api(world.street).post("/api/v1/insights/evaluations/rounds", {**body, "scale_min": 5, "scale_max": 5})
    assert (r.status_code, r.json()["field"]) == (422, "scale_max")
    assert EvaluationRound.objects.count() == 1
    r = api(world.street).post("/api/v1/insights/evaluations/rounds", body)
    assert r.status_code == 201
    assert [c["label"] for c in r.json()["criteria"]] == ["响应速度", "办理质量", "服务态度", "沟通协作"]
    new = r.json()["id"]
    r = api(world.secretary_a).post(f"/api/v1/insights/evaluations/rounds/{new}/evaluations", {
        "evaluator": t.community_a.pk, "target_kind": "place", "target": t.street.pk,
        "scores": _scores(100, 0, 85, 90)})
    assert r.status_code == 201
    r = api(world.secretary_a).post(f"/api/v1/insights/evaluations/rounds/{new}/evaluations", {
        "evaluator": t.community_a.pk, "target_kind": "place", "target": t.street.pk,
        "scores": _scores(101, 0, 85, 90)})
    assert (r.status_code, r.json()["field"]) == (422, "scores.speed")


# ---- console pages -------------------------------------------------------------------------------------

def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_console_fill_in_and_results(world):
    t = world.tree
    url = f"/console/insights/evaluations/{world.round.pk}/"
    sec = _client(world.secretary_a)
    assert str(world.round.pk) in sec.get("/console/insights/evaluations/").content.decode()
    page = sec.get(url).content.decode()
    assert f'data-target="place-{t.street.pk}"' in page
    assert f'data-target="department-{world.fumes_department.pk}"' in page
    form = {"evaluator": t.community_a.pk, "target_kind": "place", "target": t.street.pk, "comment": "响应及时",
            **{f"score_{c}": "4" for c in CRITERIA}}
    r = sec.post(url, {**form, "score_speed": "9"})
    assert r.status_code == 422
    assert zh("Give a whole score from %(low)s to %(high)s.") % {"low": 1, "high": 5} in r.content.decode()
    assert Evaluation.objects.count() == 0
    r = sec.post(url, form)
    assert (r.status_code, r["Location"]) == (302, url)
    assert Evaluation.objects.get().scores == _scores(4, 4, 4, 4)
    assert zh("Evaluation saved.") in sec.get(url).content.decode()
    # out of scope: another street's secretary, a resident
    assert _client(world.secretary_c).get(url).status_code == 404
    assert _client(world.secretary_c).post(url, form).status_code == 404
    assert _client(world.resident_a).get("/console/insights/evaluations/").status_code == 404
    # results: the street sees who gave what; the evaluated department only its averages after closing
    _client(world.secretary_a).post(url, {**form, "target_kind": "department", "target": world.fumes_department.pk})
    _client(world.secretary_b).post(url, {**form, "evaluator": t.community_b.pk, "target_kind": "department",
                                          "target": world.fumes_department.pk, "score_speed": "2"})
    assert _client(world.secretary_a).post(f"{url}close/").status_code == 404
    street = _client(world.street)
    assert street.post(f"{url}close/").status_code == 302
    results = street.get(f"{url}results/").content.decode()
    assert f'data-evaluator="{t.community_b.pk}"' in results
    dept = _client(world.dept).get(f"{url}results/").content.decode()
    assert f'data-target="department-{world.fumes_department.pk}" data-overall="3.75"' in dept
    assert "斗池社区" not in dept
    assert "data-evaluator" not in dept
    r = sec.post(url, {**form, "score_speed": "5"})
    assert r.status_code == 409
    assert Evaluation.objects.get(target_place=t.street).scores == _scores(4, 4, 4, 4)


def test_console_opens_a_round(world):
    street = _client(world.street)
    body = {"place": world.tree.street.pk, "name": "2026年下半年", "starts_on": "2026-07-01", "ends_on": "2026-06-01",
            "scale_min": "1", "scale_max": "5"}
    r = street.post("/console/insights/evaluations/", body)
    assert r.status_code == 422
    assert zh("The period must end on or after the day it starts.") in r.content.decode()
    assert EvaluationRound.objects.count() == 1
    r = street.post("/console/insights/evaluations/", {**body, "ends_on": "2026-12-31"})
    assert r.status_code == 302
    assert EvaluationRound.objects.count() == 2
    assert _client(world.secretary_a).post("/console/insights/evaluations/", body).status_code == 404
    assert EvaluationRound.objects.count() == 2
