"""A secret ballot never tells anyone — staff included — who voted what; an open one tells staff only."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from gongzhi.deliberation.models import Ballot
from tests.deliberation.world import USERS, build_world

pytestmark = pytest.mark.django_db


def _bodies(api, w, ballot_id):
    urls = [f"/api/v1/deliberation/ballots/{ballot_id}", f"/api/v1/deliberation/ballots/{ballot_id}/my-vote",
            f"/api/v1/deliberation/ballots/{ballot_id}/votes", "/api/v1/deliberation/ballots"]
    out = {}
    for user in USERS:
        client = api(w.users[user])
        out[user] = {url: client.get(url) for url in urls}
    return out


def test_secret_ballot_reveals_choices_to_nobody_before_or_after_counting(api):
    w = build_world()
    secret = w.objects["secret"]
    voter = api(w.users["resident_a"])
    cast = voter.post(f"/api/v1/deliberation/ballots/{secret.pk}/votes", {"choice": "no"})
    assert cast.status_code == 201
    assert cast.json() == {"entitled": True, "voted": True, "for_household": True, "channel": "online",
                           "cast_at": cast.json()["cast_at"], "choice": None}

    Ballot.objects.filter(pk=secret.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1),
                                               opens_at=timezone.now() - dt.timedelta(days=1))
    closed = api(w.users["secretary_a"]).post(f"/api/v1/deliberation/ballots/{secret.pk}/close")
    assert closed.status_code == 200
    result = closed.json()["result"]
    assert (result["participating"]["count"], result["no"]["count"], result["yes"]["count"]) == (1, 1, 0)

    for user, responses in _bodies(api, w, secret.pk).items():
        votes = responses[f"/api/v1/deliberation/ballots/{secret.pk}/votes"]
        assert votes.status_code in (403, 404), user  # no named list exists for a secret ballot
        for url, response in responses.items():
            text = json.dumps(response.json(), ensure_ascii=False)
            assert "张投票" not in text, (user, url)
        mine = responses[f"/api/v1/deliberation/ballots/{secret.pk}/my-vote"]
        if mine.status_code == 200:
            assert mine.json()["choice"] is None


def test_open_ballot_names_voters_to_staff_in_scope_only(api):
    w = build_world()
    named = w.objects["named"]
    url = f"/api/v1/deliberation/ballots/{named.pk}/votes"

    staff = api(w.users["secretary_a"]).get(url)
    resident = api(w.users["resident_a"]).get(url)
    other = api(w.users["secretary_b"]).get(url)

    assert staff.status_code == 200
    assert [(v["voter"], v["choice"], v["channel"]) for v in staff.json()] == [("赵记名", "no", "meeting")]
    assert (resident.status_code, other.status_code) == (403, 404)
    assert "赵记名" not in resident.content.decode()
