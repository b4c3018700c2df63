"""Role × scope × action for the deliberation API: every user tries every action; denials change nothing."""

import pytest
from django.db import transaction

from gongzhi.deliberation.models import Attendance, Participation, ProposalEvent, Support
from tests.deliberation.world import USERS, build_world

pytestmark = pytest.mark.django_db

STAFF_VIEW_A = {"admin", "street", "secretary_a", "worker_a", "grid_a1", "grid_a2"}
MANAGE_A = {"admin", "secretary_a", "worker_a"}
ENTRY_A = MANAGE_A | {"grid_a1", "grid_a2"}
SEES_COMMUNITY_A = STAFF_VIEW_A | {"resident_a"}  # meetings, ballots, publicities of community A
SEES_PROPOSAL = SEES_COMMUNITY_A - {"grid_a2"}  # the proposal is on building A1-1


def _proposal(w):
    return f"/api/v1/deliberation/proposals/{w.objects['proposal'].pk}"


# name → (method, url(w), body(w), allowed users, users who see the object, rows that must not change)
ACTIONS = {
    "view_proposal": ("get", _proposal, None, SEES_PROPOSAL, SEES_PROPOSAL, None),
    "review": ("post", lambda w: _proposal(w) + "/review", lambda w: {"decision": "accept"}, MANAGE_A,
               SEES_PROPOSAL, ProposalEvent),
    "support_self": ("post", lambda w: _proposal(w) + "/supports", lambda w: {}, {"resident_a"}, SEES_PROPOSAL,
                     Support),
    "support_entry": ("post", lambda w: _proposal(w) + "/supports",
                      lambda w: {"resident_id": w.residents["staffentry"].pk, "channel": "suggestion_box"},
                      ENTRY_A - {"grid_a2"}, SEES_PROPOSAL, Support),
    "create_meeting": ("post", lambda w: "/api/v1/deliberation/meetings",
                       lambda w: {"community_id": w.tree.community_a.pk, "kind": "hearing", "title": "听证会",
                                  "starts_at": "2026-12-01T09:00:00+08:00"}, MANAGE_A, set(USERS), None),
    "attendance_list": ("get", lambda w: f"/api/v1/deliberation/meetings/{w.objects['meeting'].pk}/attendance",
                        None, STAFF_VIEW_A, SEES_COMMUNITY_A, None),
    "sign_in": ("post", lambda w: f"/api/v1/deliberation/meetings/{w.objects['meeting'].pk}/attendance",
                lambda w: {"invitation_id": w.objects["invitation"].pk}, ENTRY_A, SEES_COMMUNITY_A, Attendance),
    "vote_online": ("post", lambda w: f"/api/v1/deliberation/ballots/{w.objects['secret'].pk}/votes",
                    lambda w: {"choice": "yes"}, {"resident_a"}, SEES_COMMUNITY_A, Participation),
    "record_vote": ("post", lambda w: f"/api/v1/deliberation/ballots/{w.objects['named'].pk}/recorded-votes",
                    lambda w: {"resident_id": w.residents["staffentry"].pk, "choice": "yes"},
                    MANAGE_A, SEES_COMMUNITY_A, Participation),
    "close_ballot": ("post", lambda w: f"/api/v1/deliberation/ballots/{w.objects['named'].pk}/close",
                     lambda w: {}, MANAGE_A, SEES_COMMUNITY_A, None),
    "named_votes": ("get", lambda w: f"/api/v1/deliberation/ballots/{w.objects['named'].pk}/votes", None,
                    STAFF_VIEW_A, SEES_COMMUNITY_A, None),
    "view_draft_ballot": ("get", lambda w: f"/api/v1/deliberation/ballots/{w.objects['draft'].pk}", None,
                          STAFF_VIEW_A, STAFF_VIEW_A, None),
    "object": ("post", lambda w: f"/api/v1/deliberation/publicities/{w.objects['publicity'].pk}/objections",
               lambda w: {"text": "不同意"}, {"resident_a"}, SEES_COMMUNITY_A, None),
    "answer_objection": ("post", lambda w: f"/api/v1/deliberation/objections/{w.objects['objection'].pk}/answer",
                         lambda w: {"uphold": False, "answer": "已解释"}, MANAGE_A, SEES_COMMUNITY_A, None),
}


CREATED = {"support_self", "support_entry", "create_meeting", "sign_in", "vote_online", "record_vote", "object"}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_matrix(api, action):
    """One world per action; each user's attempt runs in a savepoint rolled back afterwards."""
    w = build_world()
    method, url, body, allowed, sees, rows = ACTIONS[action]
    clients = {user: api(w.users[user]) for user in USERS}
    codes = {}
    for user in USERS:
        with transaction.atomic():
            before = rows.objects.count() if rows else None
            client = clients[user]
            response = client.get(url(w)) if method == "get" else client.post(url(w), body(w))
            codes[user] = response.status_code
            if user not in allowed and rows:
                assert rows.objects.count() == before, user
            transaction.set_rollback(True)
    ok = 201 if action in CREATED else 200
    expected = {u: ok if u in allowed else 403 if u in sees else 404 for u in USERS}
    assert codes == expected


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/deliberation/proposals").status_code == 401
