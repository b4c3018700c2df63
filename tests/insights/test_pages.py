"""Console pages of the star rating and survey results: the viewer's scope only."""

from django.test import Client

from gongzhi.insights.models import Assessment
from tests.insights.test_public import _world


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_star_and_survey_pages_scoped(example):
    survey = _world(example)
    a = Assessment.objects.get()
    sec = _client(example.secretary_a)
    listing = sec.get("/console/insights/stars/").content.decode()
    assert f"/console/insights/stars/{a.pk}/" in listing
    page = sec.get(f"/console/insights/stars/{a.pk}/").content.decode()
    assert 'data-code="party-org"' in page
    assert "书记李秀英签字的台账" in page  # evidence is shown inside, to the community and the street
    assert f'data-score="{a.score}"' in page
    assert _client(example.secretary_b).get(f"/console/insights/stars/{a.pk}/").status_code == 404
    assert f"/console/insights/stars/{a.pk}/" not in _client(example.secretary_b).get(
        "/console/insights/stars/").content.decode()
    assert _client(example.grid_a1).get("/console/insights/stars/").status_code == 404
    assert _client(example.street).get(f"/console/insights/stars/{a.pk}/").status_code == 200
    results = sec.get(f"/console/insights/surveys/{survey.pk}/").content.decode()
    assert "第A2网格" in results
    assert _client(example.secretary_b).get(f"/console/insights/surveys/{survey.pk}/").status_code == 404
