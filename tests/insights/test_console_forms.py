"""Console forms over the survey and star-rating services, tried through the pages: a 平安三率 survey created,
opened, sampled and answered by staff; a hand-scored star indicator scored with evidence. Bad input shows
the error and changes nothing; users outside the unit get 404."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from gongzhi.insights import stars
from gongzhi.insights.models import Evidence, IndicatorScore, Survey, SurveyResponse
from tests.factories.appeals import make_world
from tests.factories.registry import make_household, make_resident


def zh(msgid: str) -> str:
    """The message as the zh-Hans page shows it (escaped), whether or not its translation is merged yet."""
    with translation.override("zh-hans"):
        return escape(gettext(msgid))


@pytest.fixture
def world(db):
    return make_world()


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _survey_form(w, **over):
    today = timezone.localdate()
    return {"place": w.tree.community_a.pk, "title": "2026年平安三率调查", "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=14)).isoformat(), **over}


ANSWERS = {"q_security": "safe", "q_awareness": "know_some", "q_satisfaction": "basically"}


def test_create_a_safety_survey(world):
    sec = _client(world.secretary_a)
    page = sec.get("/console/insights/surveys/").content.decode()
    assert f'<option value="{world.tree.community_a.pk}"' in page
    assert f'<option value="{world.tree.community_b.pk}"' not in page
    r = sec.post("/console/insights/surveys/", _survey_form(world, closes_on="2020-01-01"))
    assert r.status_code == 422
    assert zh("The survey must close on or after the day it opens.") in r.content.decode()
    r = sec.post("/console/insights/surveys/", _survey_form(world, opens_on="2026-13-01"))
    assert r.status_code == 422
    assert zh("Give the date as YYYY-MM-DD.") in r.content.decode()
    r = sec.post("/console/insights/surveys/", _survey_form(world, title=""))
    assert r.status_code == 422
    assert Survey.objects.count() == 0
    # another community's secretary cannot create one for 军门社区
    assert _client(world.secretary_b).post("/console/insights/surveys/", _survey_form(world)).status_code == 404
    assert Survey.objects.count() == 0
    r = sec.post("/console/insights/surveys/", _survey_form(world))
    survey = Survey.objects.get()
    assert (r.status_code, r["Location"]) == (302, f"/console/insights/surveys/{survey.pk}/entry/")
    assert (survey.template, survey.status) == ("safety", "draft")
    assert list(survey.questions.values_list("code", flat=True)) == ["security", "awareness", "satisfaction"]
    assert f'data-survey="{survey.pk}"' in sec.get("/console/insights/surveys/").content.decode()
    other = _client(world.secretary_b).get("/console/insights/surveys/").content.decode()
    assert f'data-survey="{survey.pk}"' not in other
    for user in (world.resident_a, world.dept):
        assert _client(user).get("/console/insights/surveys/").status_code == 404


@pytest.fixture
def survey(world):
    _client(world.secretary_a).post("/console/insights/surveys/", _survey_form(world))
    return Survey.objects.get()


def test_open_sample_and_record_answers(world, survey):
    t = world.tree
    url = f"/console/insights/surveys/{survey.pk}/entry/"
    sec, grid = _client(world.secretary_a), _client(world.grid_a1)
    # a grid worker records answers but does not open the survey
    assert grid.post(f"/console/insights/surveys/{survey.pk}/status/", {"status": "open"}).status_code == 404
    r = grid.post(url, {"place": t.buildings["A1-1"].pk, **ANSWERS})
    assert r.status_code == 409
    assert zh("This survey is not open for answers.") in r.content.decode()
    assert sec.post(f"/console/insights/surveys/{survey.pk}/status/", {"status": "open"}).status_code == 302
    survey.refresh_from_db()
    assert survey.status == "open"
    # the sample: masked names, reproducible from the draw number
    for n, name in enumerate(["王建华", "陈美玲", "刘德明"]):
        make_resident(make_household(t.buildings["A1-2"], room_no=f"70{n}"), name=name)
    page = sec.get(url, {"size": "2", "seed": "7"}).content.decode()
    drawn = re.findall(r'data-resident="(\d+)"', page)
    assert len(drawn) == 2
    assert re.findall(r'data-resident="(\d+)"', sec.get(url, {"size": "2", "seed": "7"}).content.decode()) == drawn
    for name in ["王建华", "陈美玲", "刘德明", "李秀英"]:
        assert name not in page
    assert len(re.findall(r'data-resident="(\d+)"', sec.get(url, {"size": "10"}).content.decode())) == 4
    assert 'id="sample-form"' not in grid.get(url, {"size": "2"}).content.decode()  # sampling: the unit's staff
    r = sec.get(url, {"size": "many"})
    assert r.status_code == 422
    assert zh("Give the sample size as a whole number.") in r.content.decode()
    # bad answers: nothing recorded
    r = grid.post(url, {"place": t.buildings["A1-1"].pk, **ANSWERS, "q_security": "maybe"})
    assert r.status_code == 422
    assert zh("Choose one of the answers offered.") in r.content.decode()
    r = grid.post(url, {"place": t.buildings["A2-1"].pk, **ANSWERS})  # grid A2 is not this grid worker's
    assert r.status_code == 422
    assert zh("Choose the respondent's grid or building.") in r.content.decode()
    assert SurveyResponse.objects.count() == 0
    # a sampled resident's answer, collected at the door
    resident = world.resident_a.resident
    r = grid.post(url, {"place": t.buildings["A1-1"].pk, "resident": resident.pk, **ANSWERS})
    assert (r.status_code, r["Location"]) == (302, url)
    row = SurveyResponse.objects.get()
    assert (row.channel, row.resident_id, row.path, row.recorded_by_id) == (
        "staff", resident.pk, t.buildings["A1-1"].path, world.grid_a1.pk)
    assert row.answers == {"security": "safe", "awareness": "know_some", "satisfaction": "basically"}
    r = grid.post(url, {"place": t.buildings["A1-1"].pk, "resident": resident.pk, **ANSWERS})
    assert r.status_code == 409
    assert SurveyResponse.objects.count() == 1
    # outside the survey's area: 404, nothing recorded
    other = _client(world.secretary_b)
    assert other.get(url).status_code == 404
    assert other.post(url, {"place": t.buildings["B1-1"].pk, **ANSWERS}).status_code == 404
    assert SurveyResponse.objects.count() == 1


@pytest.fixture
def assessment(world):
    standard = stars.install_standard()
    return stars.start_assessment(actor=world.secretary_a, standard=standard, community=world.tree.community_a,
                                  year=2026)


def test_score_an_indicator_with_evidence(world, assessment):
    url = f"/console/insights/stars/{assessment.pk}/score/"
    sec = _client(world.secretary_a)
    detail = sec.get(f"/console/insights/stars/{assessment.pk}/").content.decode()
    assert f"{url}?indicator=party-org" in detail
    assert sec.get(url, {"indicator": "party-org"}).status_code == 200
    pdf = SimpleUploadedFile("党组织台账.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = sec.post(url, {"indicator": "party-org", "value": "85", "evidence": "支部会议记录 12 次", "file": pdf})
    assert (r.status_code, r["Location"]) == (302, f"/console/insights/stars/{assessment.pk}/")
    row = IndicatorScore.objects.get()
    assert (float(row.value), row.evidence, row.scored_by_id) == (85.0, "支部会议记录 12 次", world.secretary_a.pk)
    assert list(Evidence.objects.values_list("name", flat=True)) == ["党组织台账.pdf"]
    assert "党组织台账.pdf" in sec.get(f"/console/insights/stars/{assessment.pk}/").content.decode()
    # bad input: the error is shown, the score and the files stay as they were
    for form, message in [
        ({"indicator": "party-org", "value": "150", "evidence": "x"}, "Give a score from 0 to 100."),
        ({"indicator": "party-org", "value": "abc", "evidence": "x"}, "Give a score from 0 to 100."),
        ({"indicator": "party-org", "value": "nan", "evidence": "x"}, "Give a score from 0 to 100."),
        ({"indicator": "party-org", "value": "60", "evidence": "  "}, "Describe the evidence for this score."),
        ({"indicator": "response", "value": "60", "evidence": "x"}, "This indicator is not scored by hand."),
        ({"indicator": "party-org", "value": "60", "evidence": "x",
          "file": SimpleUploadedFile("run.exe", b"MZ")}, "Attach a PDF, an image, a spreadsheet or a document."),
    ]:
        r = sec.post(url, form)
        assert r.status_code == 422, form
        assert zh(message) in r.content.decode(), form
    row.refresh_from_db()
    assert (float(row.value), row.evidence) == (85.0, "支部会议记录 12 次")
    assert Evidence.objects.count() == 1
    # a veto finding
    r = sec.post(url, {"indicator": "veto-safety", "triggered": "1", "evidence": "2026-05 电动车火灾事故通报"})
    assert r.status_code == 302
    assert stars.evaluate(assessment)["vetoes"] == ["发生重大安全责任事故"]


def test_who_may_score(world, assessment):
    url = f"/console/insights/stars/{assessment.pk}/score/"
    form = {"indicator": "party-org", "value": "70", "evidence": "台账"}
    for user in (world.secretary_b, world.grid_a1, world.dept, world.resident_a):
        c = _client(user)
        assert c.get(url).status_code == 404, user.username
        assert c.post(url, form).status_code == 404, user.username
    assert IndicatorScore.objects.count() == 0
    stars.submit_assessment(actor=world.secretary_a, assessment=assessment)
    # once submitted the community may no longer change it; the street may
    r = _client(world.secretary_a).post(url, form)
    assert r.status_code == 409
    assert zh("This rating was submitted; only the street may change it now.") in r.content.decode()
    assert IndicatorScore.objects.count() == 0
    assert _client(world.street).post(url, form).status_code == 302
    assert float(IndicatorScore.objects.get().value) == 70.0
