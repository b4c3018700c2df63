"""Each list endpoint runs a fixed number of queries, whether it lists one row or three."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongzhi.deliberation.services import ballots as ballot_services
from gongzhi.deliberation.services import meetings as meeting_services
from gongzhi.deliberation.services import proposals as proposal_services
from gongzhi.deliberation.services import publicity as publicity_services
from gongzhi.deliberation.workflow import transition
from tests.factories.deliberation import make_ballot, make_proposal, make_resident_user

pytestmark = pytest.mark.django_db
API = "/api/v1/deliberation"


def _add(tree, secretary, author, n):
    building = tree.buildings["A1-1"]
    for i in range(n):
        p = make_proposal(tree.community_a, author, title=f"议题{i}", place=building)
        proposal_services.support_proposal(actor=None, proposal=p, resident=author)
        meeting_services.create_meeting(actor=secretary, community=tree.community_a, kind="council",
                                        title=f"会议{i}", starts_at=timezone.now() + dt.timedelta(days=i))
        b = make_ballot(secretary, tree.community_a, [building], title=f"表决{i}", online=False)
        ballot_services.record_vote(actor=secretary, ballot=b, resident=author, choice="yes", channel="paper")
        decided = make_proposal(tree.community_a, author, title=f"已议定{i}")
        proposal_services.review_proposal(actor=secretary, proposal=decided, decision="accept")
        transition(decided, "decide", actor=secretary)
        pub = publicity_services.start_publicity(actor=secretary, proposal=decided, body="公示内容",
                                                 project_function="environment",
                                                 starts_on=dt.date(2026, 1, 5), today=dt.date(2026, 1, 5))
        publicity_services.object_to_publicity(actor=secretary, publicity=pub, text="异议", resident=author,
                                               today=dt.date(2026, 1, 6))
        publicity_services.answer_objection(actor=secretary, objection=pub.objections.get(), uphold=False,
                                            answer="答复")
        publicity_services.close_publicity(actor=secretary, publicity=pub, today=dt.date(2026, 2, 1))


def _counts(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()["count"]


# token, user scopes, (residents: their registry row), count, page, then the endpoint's prefetches:
# ballots the electorate, publicities their objections (with residents), projects their milestones.
EXPECTED = {
    "/proposals": {"staff": 4, "resident": 5},
    "/meetings": {"staff": 4, "resident": 5},
    "/ballots": {"staff": 5, "resident": 6},
    "/publicities": {"staff": 6, "resident": 7},
    "/projects": {"staff": 5, "resident": 6},
}


@pytest.mark.parametrize("url", ["/proposals", "/meetings", "/ballots", "/publicities", "/projects"])
def test_list_query_count_does_not_grow_with_rows(api, tree, secretary, url):
    user, author = make_resident_user(building=tree.buildings["A1-1"], name="计数")
    staff, resident = api(secretary), api(user)
    staff.get(API + "/proposals"), resident.get(API + "/proposals")  # the token's first use writes last_used_at
    _add(tree, secretary, author, 1)
    one = {"staff": _counts(staff, API + url), "resident": _counts(resident, API + url)}
    _add(tree, secretary, author, 2)
    three = {"staff": _counts(staff, API + url), "resident": _counts(resident, API + url)}

    for who in ("staff", "resident"):
        (q1, n1), (q3, n3) = one[who], three[who]
        assert n3 == 3 * n1, (url, who)
        assert q3 == q1, (url, who, q1, q3)
    assert {who: q for who, (q, _n) in one.items()} == EXPECTED[url]
