"""Console and portal pages: every page renders for those who may see it, refuses others, and writes
through the services (a refusal comes back as a message, not a 500)."""

import pytest
from django.test import Client

from gongzhi.deliberation.enums import ProposalStatus
from gongzhi.deliberation.models import Attendance, Participation, ProcedureStep, Support
from tests.deliberation.world import build_world

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_console_pages_render_for_the_secretary_and_refuse_a_resident():
    w = build_world()
    o = w.objects
    staff, resident = login(w.users["secretary_a"]), login(w.users["resident_a"])
    project_less = [
        "/console/deliberation/proposals/", f"/console/deliberation/proposals/{o['proposal'].pk}/",
        "/console/deliberation/meetings/", f"/console/deliberation/meetings/{o['meeting'].pk}/",
        "/console/deliberation/ballots/", f"/console/deliberation/ballots/{o['named'].pk}/",
        f"/console/deliberation/ballots/{o['secret'].pk}/", "/console/deliberation/publicity/",
        f"/console/deliberation/publicity/{o['publicity'].pk}/", "/console/deliberation/projects/",
        "/console/deliberation/pacts/",
    ]
    for url in project_less:
        assert staff.get(url).status_code == 200, url
        assert resident.get(url).status_code == 403, url
    page = staff.get(f"/console/deliberation/ballots/{o['named'].pk}/").content.decode()
    assert "赵记名" in page  # open ballot: staff see the named vote
    login(w.users["resident_a"]).post(f"/my/deliberation/ballots/{o['secret'].pk}/", {"choice": "no"})
    secret = staff.get(f"/console/deliberation/ballots/{o['secret'].pk}/").content.decode()
    assert Participation.objects.filter(ballot=o["secret"]).count() == 1
    assert "张投票" not in secret  # a secret ballot's page names nobody


def test_other_community_staff_get_404_on_objects():
    w = build_world()
    other = login(w.users["secretary_b"])
    assert other.get(f"/console/deliberation/proposals/{w.objects['proposal'].pk}/").status_code == 404
    assert other.get(f"/console/deliberation/meetings/{w.objects['meeting'].pk}/").status_code == 404


def test_meeting_run_live_with_htmx_step_and_sign_in():
    w = build_world()
    meeting = w.objects["meeting"]
    staff = login(w.users["secretary_a"])
    first = meeting.steps.get(order=1)
    third = meeting.steps.get(order=3)
    url = f"/console/deliberation/meetings/{meeting.pk}/"

    done = staff.post(url, {"op": "step", "step": first.pk, "note": "居民提出"}, HTTP_HX_REQUEST="true")
    refused = staff.post(url, {"op": "step", "step": third.pk}, HTTP_HX_REQUEST="true")
    signed = staff.post(url, {"op": "sign_in", "resident": "张投票"}, HTTP_HX_REQUEST="true")

    assert done.status_code == 200
    assert "<html" not in done.content.decode()  # the fragment only
    assert ProcedureStep.objects.get(pk=first.pk).done_at is not None
    assert ProcedureStep.objects.get(pk=third.pk).done_at is None
    assert refused.status_code == 200
    assert "alert-error" in refused.content.decode()
    assert signed.status_code == 200
    assert list(Attendance.objects.filter(meeting=meeting).values_list("name", flat=True)) == ["张投票"]


def test_review_through_the_console_page():
    w = build_world()
    proposal = w.objects["proposal"]
    staff = login(w.users["secretary_a"])
    grid = login(w.users["grid_a1"])
    url = f"/console/deliberation/proposals/{proposal.pk}/"

    assert grid.post(url, {"op": "review", "decision": "accept"}).status_code == 403
    response = staff.post(url, {"op": "review", "decision": "not_accept", "answer": ""}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED  # refused: no reason given
    assert response.status_code == 200
    staff.post(url, {"op": "review", "decision": "accept", "answer": "提交议事会"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


def test_portal_support_vote_and_object():
    w = build_world()
    o = w.objects
    resident = login(w.users["resident_a"])
    assert resident.get("/my/deliberation/").status_code == 200
    assert resident.get(f"/my/deliberation/proposals/{o['proposal'].pk}/").status_code == 200

    resident.post(f"/my/deliberation/proposals/{o['proposal'].pk}/", {"op": "support"})
    resident.post(f"/my/deliberation/proposals/{o['proposal'].pk}/", {"op": "support"})  # refused politely
    resident.post(f"/my/deliberation/ballots/{o['secret'].pk}/", {"choice": "yes"})
    page = resident.get(f"/my/deliberation/ballots/{o['secret'].pk}/").content.decode()
    resident.post(f"/my/deliberation/publicity/{o['publicity'].pk}/", {"text": "请公布预算明细"})
    created = resident.post("/my/deliberation/proposals/new/", {"title": "增设充电桩", "problem": "电动车飞线充电危险",
                                                              "category": "safety"})

    assert Support.objects.filter(proposal=o["proposal"]).count() == 1
    assert Participation.objects.filter(ballot=o["secret"]).count() == 1
    assert "alert-success" in page  # "you have voted"
    assert "(yes)" not in page  # and not what
    assert o["publicity"].objections.count() == 2
    assert created.status_code == 302


def test_portal_other_community_is_404_and_unlinked_user_is_told():
    w = build_world()
    outsider = login(w.users["resident_b"])
    assert outsider.get(f"/my/deliberation/proposals/{w.objects['proposal'].pk}/").status_code == 404
    staff = login(w.users["secretary_a"])
    response = staff.get("/my/deliberation/")
    assert response.status_code == 403
