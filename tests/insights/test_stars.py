"""达标创星 — a worked example with a veto, on the 三率 example of tests/insights/conftest.py.

Standard "test" (thresholds 60 / 75 / 90 for 1–3 stars):
  党建引领 (weight 40): 响应率 computed (weight 1) + 组织建设 assessed (weight 1)
  五在社区 (weight 60): 满意率 computed (weight 2) + 文体活动 assessed (weight 1)
  重大安全事故: veto item
Community A in 2026 (February + March cases): response 3/5 = 60 %, satisfaction 2/3 = 66.67 %.
Scored 组织建设 80, 文体活动 90:
  党建引领 = (60 + 80) / 2 = 70;  五在社区 = (2·66.67 + 90) / 3 = 74.44
  total = (40·70 + 60·74.44) / 100 = 72.7 → 1 star (60 ≤ 72.7 < 75); with the veto triggered → 0 stars.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.insights import stars
from gongzhi.insights.enums import IndicatorKind as K
from gongzhi.insights.models import Assessment

SPEC = {"code": "test", "name": "测试标准", "thresholds": [60, 75, 90], "indicators": [
    ("party", "党建引领", K.GROUP, 40, "", 100, [
        ("response", "响应率", K.COMPUTED, 1, "appeals.response_rate", 100, []),
        ("org", "组织建设", K.ASSESSED, 1, "", 100, []),
    ]),
    ("five", "五在社区", K.GROUP, 60, "", 100, [
        ("satisfaction", "满意率", K.COMPUTED, 2, "appeals.satisfaction_rate", 100, []),
        ("activity", "文体活动", K.ASSESSED, 1, "", 100, []),
    ]),
    ("veto", "重大安全事故", K.VETO, 0, "", 100, []),
]}


@pytest.fixture
def assessment(example, api):
    stars.install_standard(SPEC)
    body = {"community": example.tree.community_a.pk, "year": 2026, "standard": "test"}
    assert api(example.secretary_b).post("/api/v1/insights/stars/assessments", body).status_code == 404
    r = api(example.secretary_a).post("/api/v1/insights/stars/assessments", body)
    assert r.status_code == 201, r.content
    return r.json()


def _tree(result):
    flat = {}

    def walk(nodes):
        for n in nodes:
            flat[n["code"]] = n
            walk(n["children"])
    walk(result["indicators"])
    return flat


def test_star_worked_example_with_veto(example, api, assessment):
    url = f"/api/v1/insights/stars/assessments/{assessment['assessment']['id']}"
    sec, street = api(example.secretary_a), api(example.street)
    assert (assessment["score"], assessment["stars"]) == (38.7, 0)  # nothing scored by hand yet
    bad = sec.post(f"{url}/scores", {"indicator": "org", "value": 80, "evidence": " "})
    assert (bad.status_code, bad.json()["field"]) == (422, "evidence")
    bad = sec.post(f"{url}/scores", {"indicator": "org", "value": 120, "evidence": "党支部台账"})
    assert (bad.status_code, bad.json()["field"]) == (422, "value")
    bad = sec.post(f"{url}/scores", {"indicator": "response", "value": 100, "evidence": "x"})
    assert (bad.status_code, bad.json()["field"]) == (422, "indicator")
    assert api(example.secretary_b).post(f"{url}/scores", {"indicator": "org", "value": 100,
                                                           "evidence": "x"}).status_code == 404
    sec.post(f"{url}/scores", {"indicator": "org", "value": 80, "evidence": "党支部标准化台账（2026）"})
    result = sec.post(f"{url}/scores", {"indicator": "activity", "value": 90, "evidence": "活动记录 12 次"}).json()
    t = _tree(result)
    assert (t["response"]["value"], t["response"]["score"]) == (60.0, 60.0)
    assert (t["satisfaction"]["value"], t["satisfaction"]["score"]) == (66.67, 66.7)
    assert (t["party"]["score"], t["five"]["score"]) == (70.0, 74.4)
    assert (result["score"], result["stars"], result["vetoed"]) == (72.7, 1, False)
    assert t["org"]["evidence"] == "党支部标准化台账（2026）"

    # evidence file on a scored indicator
    client = sec.client
    r = client.post(f"{url}/evidence", {"indicator": "org", "file": SimpleUploadedFile("台账.pdf", b"%PDF-1.4 x")},
                    **sec.headers)
    assert r.status_code == 201, r.content
    assert _tree(sec.get(url).json())["org"]["files"] == ["台账.pdf"]

    # the community submits; from then on only the street changes it
    assert sec.post(f"{url}/review", {"approve": True}).status_code == 403
    assert sec.post(f"{url}/submit").json()["assessment"]["status"] == "submitted"
    assert sec.post(f"{url}/scores", {"indicator": "org", "value": 100, "evidence": "x"}).status_code == 409
    assert street.post(f"{url}/review", {"approve": False}).json()["field"] == "note"
    vetoed = street.post(f"{url}/scores", {"indicator": "veto", "triggered": True,
                                           "evidence": "2026-05 某楼火灾事故调查报告"}).json()
    assert (vetoed["score"], vetoed["stars"], vetoed["vetoed"], vetoed["vetoes"]) == (72.7, 0, True, ["重大安全事故"])
    final = street.post(f"{url}/review", {"approve": True, "note": "一票否决"}).json()
    assert final["assessment"]["status"] == "reviewed"
    row = Assessment.objects.get(pk=assessment["assessment"]["id"])
    assert (float(row.score), row.stars, row.vetoed, row.published, row.reviewed_by) == (
        72.7, 0, True, True, example.street)
    assert street.post(f"{url}/scores", {"indicator": "org", "value": 1, "evidence": "x"}).status_code == 409
    listed = api(example.secretary_b).get("/api/v1/insights/stars/assessments").json()
    assert listed == []


def test_default_standard_installs_once(db):
    first = stars.install_standard()
    assert stars.install_standard() == first
    assert first.indicators.filter(kind=K.VETO).count() == 3
    assert first.indicators.filter(parent__isnull=True).exclude(kind=K.VETO).count() == 5
    assert all(i.source in stars.METRICS for i in first.indicators.filter(kind=K.COMPUTED))
