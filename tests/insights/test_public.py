"""信息公开: no login, the community's figures only — and a hunt for personal data in every public page."""

import json
import re

from django.test import Client
from django.utils import timezone

from gongzhi.appeals.models import Appeal
from gongzhi.core.crypto import decrypt
from gongzhi.insights import stars, surveys
from gongzhi.insights.enums import SurveyStatus
from gongzhi.registry.models import Resident
from tests.factories.registry import make_household, make_resident

ANSWERS = {"security": "safe", "awareness": "know", "satisfaction": "satisfied"}


def _world(example):
    t = example.tree
    today = timezone.localdate()
    survey = surveys.create_survey(actor=example.secretary_a, place=t.community_a, title="平安三率调查",
                                   template="safety", opens_on=today, closes_on=today)
    surveys.set_survey_status(actor=example.secretary_a, survey=survey, status=SurveyStatus.OPEN)
    for room in range(5):  # five respondents in grid A1 (shown), one in grid A2 (withheld: fewer than 5)
        r = make_resident(make_household(t.buildings["A1-2"], room_no=f"60{room}"), name=f"王小{room}")
        surveys.submit_response(actor=example.grid_a1, survey=survey, answers=ANSWERS, place=t.buildings["A1-2"],
                                resident=r)
    surveys.submit_response(actor=example.grid_a2, survey=survey, answers={**ANSWERS, "security": "unsafe"},
                            place=t.buildings["A2-1"])
    surveys.set_survey_status(actor=example.secretary_a, survey=survey, status=SurveyStatus.CLOSED,
                              published=True)
    standard = stars.install_standard()
    a = stars.start_assessment(actor=example.secretary_a, standard=standard, community=t.community_a, year=2026)
    ind = standard.indicators.get(code="party-org")
    stars.score_indicator(actor=example.secretary_a, assessment=a, indicator=ind, value=90,
                          evidence="书记李秀英签字的台账，电话 13800138000")
    stars.submit_assessment(actor=example.secretary_a, assessment=a)
    stars.review_assessment(actor=example.street, assessment=a, approve=True)
    return survey


def test_public_pages_show_the_figures_without_login(example):
    _world(example)
    t = example.tree
    c = Client()
    assert c.get("/public/").status_code == 200
    body = c.get(f"/public/{t.community_a.pk}.json", {"period": "2026-03"}).json()
    assert body["month"] == {"cases": 5, "response_rate": 50.0, "resolution_rate": 66.7, "satisfaction_rate": 50.0,
                             "score": 55.8}
    [survey] = body["surveys"]
    assert [u["name"] for u in survey["units"]] == ["军门社区", "第A1网格"]  # A2 has 1 respondent: withheld
    assert survey["units"][0]["respondents"] == 6
    [rating] = body["ratings"]
    assert rating["year"] == 2026
    page = c.get(f"/public/{t.community_a.pk}/", {"period": "2026-03"})
    assert page.status_code == 200
    assert "55.8" in page.content.decode()
    assert c.get("/public/999999/").status_code == 404
    assert c.get(f"/public/{t.grid_a1.pk}/").status_code == 404  # communities only
    assert c.get(f"/public/{t.community_a.pk}/", {"period": "March"}).status_code == 404


def test_no_personal_data_in_public_pages(example):
    _world(example)
    t = example.tree
    c = Client()
    pages = [c.get("/public/").content.decode()]
    for community in (t.community_a, t.community_b):
        for period in ("2026-03", None):
            params = {"period": period} if period else {}
            pages.append(c.get(f"/public/{community.pk}/", params).content.decode())
            pages.append(json.dumps(c.get(f"/public/{community.pk}.json", params).json(), ensure_ascii=False))
    text = "\n".join(pages)
    secrets = set()
    for r in Resident.objects.all():
        secrets |= {r.name, r.name_pinyin, r.id_number_masked, r.phone_masked,
                    decrypt(r.id_number_cipher), decrypt(r.phone_cipher)}
    for a in Appeal.objects.all():
        secrets |= {a.text[:12], a.contact_name_masked, a.contact_phone_masked, a.address}
    for user in (example.secretary_a, example.grid_a1, example.street, example.resident_a):
        secrets |= {user.username, user.display_name}
    secrets |= {"书记李秀英", "13800138000", "台账"}
    found = sorted(s for s in secrets if s and len(s) >= 2 and s in text)
    assert found == []
    # nothing shaped like an ID number or a mobile number either
    assert not re.search(r"(?<!\d)\d{17}[\dXx](?!\d)", text)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)
    assert Resident.objects.count() >= 7  # the hunt had people to find
