"""The issue's story through the API: talk day → meeting with procedure and sign-in → owners' lift vote →
publicity → project → rating; and a residents' pact voted, adopted and filed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gongzhi.accounts.enums import Role
from gongzhi.deliberation.models import Ballot, Publicity
from gongzhi.registry.enums import Relation
from tests.factories.accounts import make_user
from tests.factories.deliberation import make_resident_user
from tests.factories.registry import make_tree

pytestmark = pytest.mark.django_db
API = "/api/v1/deliberation"


def test_lift_story(api):
    tree = make_tree()
    building = tree.buildings["A1-1"]
    staff = api(make_user("sec", Role.SECRETARY, place=tree.community_a))
    grid = api(make_user("grid", Role.GRID_WORKER, place=tree.grid_a1))
    owners = [make_resident_user(building=building, area=a, name=f"业主{i}")
              for i, a in enumerate(["72.30", "72.30", "85.10", "85.10", "60.00", "101.20"])]
    user0, author = owners[0]
    resident = api(user0)

    # A resident proposes; neighbours support online, one support comes from the suggestion box.
    created = resident.post(f"{API}/proposals", {"title": "1号楼加装电梯", "problem": "六层老楼无电梯",
                                                 "solution": "申请加装电梯, 按楼层分摊", "category": "facilities",
                                                 "place_id": building.pk})
    assert created.status_code == 201, created.content
    proposal = created.json()
    assert (proposal["status"], proposal["author_name"], proposal["period"]) == (
        "submitted", "业主0", timezone.localdate().strftime("%Y-%m"))
    pid = proposal["id"]
    for user, _r in owners[1:4]:
        assert api(user).post(f"{API}/proposals/{pid}/supports").status_code == 201
    entry = grid.post(f"{API}/proposals/{pid}/supports", {"resident_id": owners[4][1].pk,
                                                          "channel": "suggestion_box"})
    assert entry.json()["support_count"] == 4
    assert api(owners[1][0]).get(f"{API}/proposals/{pid}").json()["author_name"] == "业**"
    again = api(owners[1][0]).post(f"{API}/proposals/{pid}/supports")
    assert (again.status_code, again.json()["code"]) == (409, "already_done")

    # The talk day on the 10th takes the top proposal; the committee accepts it for deliberation.
    month = timezone.localdate().strftime("%Y-%m")
    talk = staff.post(f"{API}/meetings/talk-day", {"community_id": tree.community_a.pk, "month": month})
    assert talk.status_code == 201
    assert talk.json()["starts_at"][8:10] == "10"
    assert talk.json()["steps"] == []
    talk_id = talk.json()["id"]
    top = staff.post(f"{API}/meetings/{talk_id}/agenda/top-proposals", {"period": month, "limit": 3})
    assert [a["proposal_id"] for a in top.json()["agenda"]] == [pid]
    assert staff.post(f"{API}/proposals/{pid}/review", {"decision": "accept",
                                                        "answer": "提交议事会协商"}).status_code == 200

    # The deliberation meeting runs the shipped procedure, step by step, with sign-in and minutes.
    meeting = staff.post(f"{API}/meetings", {"community_id": tree.community_a.pk, "kind": "council",
                                              "title": "1号楼加装电梯议事会", "starts_at": "2026-11-25T19:00:00+08:00"})
    m = meeting.json()
    assert [s["key"] for s in m["steps"]] == ["topic_raised", "topic_agreed", "notice_published", "deliberation",
                                              "vote", "result_published", "implementation_supervised"]
    out_of_order = staff.post(f"{API}/meetings/{m['id']}/steps/{m['steps'][1]['id']}/done", {})
    assert out_of_order.status_code == 409
    for step in m["steps"][:3]:
        assert staff.post(f"{API}/meetings/{m['id']}/steps/{step['id']}/done", {}).status_code == 200
    for _user, r in owners[:4]:
        assert grid.post(f"{API}/meetings/{m['id']}/attendance", {"resident_id": r.pk}).status_code == 201
    assert grid.post(f"{API}/meetings/{m['id']}/attendance",
                     {"resident_id": owners[0][1].pk}).status_code == 409

    # The owners' vote: major matter, computed from floor areas; four vote at the meeting, two online.
    ballot = staff.post(f"{API}/ballots", {
        "community_id": tree.community_a.pk, "title": "1号楼加装电梯表决", "question": "是否同意加装电梯",
        "rule": "owners", "matter": "major", "mode": "secret", "electorate": [building.pk], "proposal_id": pid,
        "meeting_id": m["id"], "opens_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (timezone.now() + dt.timedelta(days=3)).isoformat()})
    assert ballot.status_code == 201, ballot.content
    b = ballot.json()
    assert (b["quorum"]["label"], b["approval"]["label"]) == ("≥ 2/3", "≥ 3/4")
    bid = b["id"]
    assert staff.post(f"{API}/ballots/{bid}/open").json()["turnout"] == {
        "electors": 6, "participated": 0, "electorate_area": "476.00", "participating_area": "0.00"}
    for (_user, r), choice in zip(owners[:4], ["yes", "yes", "yes", "no"], strict=True):
        assert staff.post(f"{API}/ballots/{bid}/recorded-votes",
                          {"resident_id": r.pk, "choice": choice}).status_code == 201
    assert api(owners[5][0]).post(f"{API}/ballots/{bid}/votes", {"choice": "yes"}).status_code == 201
    assert staff.post(f"{API}/ballots/{bid}/close").status_code == 409  # online voting still runs
    Ballot.objects.filter(pk=bid).update(closes_at=timezone.now())
    closed = staff.post(f"{API}/ballots/{bid}/close").json()
    r = closed["result"]
    # 5 of 6 owners (≥ 2/3) with 416.00 of 476.00 m² (0.8739 ≥ 2/3) took part; 4 of 5 (0.8 ≥ 3/4) holding
    # 330.90 of 416.00 m² (0.7954 ≥ 3/4) agreed.
    assert (r["participating"]["count"], Decimal(r["participating"]["area"])) == (5, Decimal("416.00"))
    assert (r["yes"]["count"], Decimal(r["yes"]["area"])) == (4, Decimal("330.90"))
    assert (r["participation_area_ratio"], r["approval_area_ratio"]) == ("0.8739", "0.7954")
    assert r["outcome"] == "approved"
    assert staff.get(f"{API}/proposals/{pid}").json()["status"] == "decided"

    # Publicity for five working days; an objection is answered; then the project starts.
    pub = staff.post(f"{API}/publicities", {"proposal_id": pid, "body": "表决通过, 公示五个工作日",
                                            "project_function": "environment",
                                            "project_budget_fen": 48_000_000}).json()
    assert pub["working_days"] == 5
    assert pub["status"] == "running"
    objection = resident.post(f"{API}/publicities/{pub['id']}/objections", {"text": "分摊比例请再公开"}).json()
    assert objection["objections"][0]["mine"] is True
    assert objection["objections"][0]["objector"] == ""
    oid = objection["objections"][0]["id"]
    assert staff.post(f"{API}/objections/{oid}/answer", {"uphold": False,
                                                         "answer": "分摊表已张贴于单元门口"}).status_code == 200
    assert staff.post(f"{API}/publicities/{pub['id']}/close").status_code == 409  # still running
    Publicity.objects.filter(pk=pub["id"]).update(starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 1, 12))
    project = staff.post(f"{API}/publicities/{pub['id']}/close").json()
    assert (project["function"], project["budget_fen"], project["status"]) == ("environment", 48_000_000,
                                                                                "planned")

    # Residents follow it; milestones weigh progress; on completion residents rate it.
    prid = project["id"]
    assert resident.post(f"{API}/projects/{prid}/follow").json()["following"] is True
    staff.post(f"{API}/projects/{prid}/milestones", {"title": "设计与审批", "weight": 1})
    staff.post(f"{API}/projects/{prid}/milestones", {"title": "施工安装", "weight": 3})
    detail = staff.post(f"{API}/projects/{prid}/start").json()
    staff.post(f"{API}/projects/{prid}/milestones/{detail['milestones'][0]['id']}/done")
    assert resident.get(f"{API}/projects/{prid}").json()["progress"] == 25
    assert resident.post(f"{API}/projects/{prid}/ratings", {"stars": 5}).status_code == 409  # not completed
    staff.post(f"{API}/projects/{prid}/milestones/{detail['milestones'][1]['id']}/done")
    staff.post(f"{API}/projects/{prid}/updates", {"text": "电梯已通过验收"})
    assert staff.post(f"{API}/projects/{prid}/complete").json()["progress"] == 100
    rated = resident.post(f"{API}/projects/{prid}/ratings", {"stars": 4, "comment": "方便多了"}).json()
    assert (rated["rating_count"], rated["rating_average"], rated["my_rating"]) == (1, "4.00", 4)
    assert resident.get(f"{API}/projects", following=True).json()["count"] == 1


def test_pact_is_voted_adopted_supersedes_and_is_filed(api):
    tree = make_tree()
    staff = api(make_user("sec", Role.SECRETARY, place=tree.community_a))
    voters = [make_resident_user(building=tree.buildings["A1-1"], name=f"居民{i}") for i in range(3)]
    make_resident_user(voters[0][1].household, name="家属", relation=Relation.SPOUSE)

    charter = staff.post(f"{API}/charters", {"community_id": tree.community_a.pk, "kind": "pact",
                                              "title": "军门社区居民公约"}).json()
    charter = staff.post(f"{API}/charters/{charter['id']}/versions", {"body": "一、爱护公共环境……"}).json()
    v1 = charter["versions"][0]
    # Residents do not see a draft.
    assert api(voters[0][0]).get(f"{API}/charters/{charter['id']}").json()["versions"] == []

    def vote_version(version_id, choices):
        b = staff.post(f"{API}/ballots", {"community_id": tree.community_a.pk, "title": "公约表决",
                                          "question": "是否通过", "rule": "per_household",
                                          "electorate": [tree.community_a.pk],
                                          "charter_version_id": version_id}).json()
        staff.post(f"{API}/ballots/{b['id']}/open")
        for (_u, r), choice in zip(voters, choices, strict=False):
            assert staff.post(f"{API}/ballots/{b['id']}/recorded-votes",
                              {"resident_id": r.pk, "choice": choice, "channel": "paper"}).status_code == 201
        return staff.post(f"{API}/ballots/{b['id']}/close").json()

    first = vote_version(v1["id"], ["yes", "yes", "no"])
    assert (first["result"]["eligible"]["count"], first["outcome"]) == (3, "approved")
    filed = staff.post(f"{API}/charter-versions/{v1['id']}/file", {"filed_with": "东街街道办事处",
                                                                    "filing_ref": "东街备〔2026〕3号"}).json()
    assert filed["versions"][0]["filed_with"] == "东街街道办事处"

    v2 = staff.post(f"{API}/charters/{charter['id']}/versions", {"body": "修订版……"}).json()["versions"][0]
    second = vote_version(v2["id"], ["yes", "yes"])  # 2 of 3 households (> 1/2) took part, both agreed
    assert second["outcome"] == "approved"
    versions = api(voters[1][0]).get(f"{API}/charters/{charter['id']}").json()["versions"]
    assert [(v["number"], v["status"]) for v in versions] == [(2, "adopted"), (1, "superseded")]
