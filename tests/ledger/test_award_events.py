"""自动积分: points awarded for events (meeting sign-ins, confirmed volunteer hours, well-rated proposals) per the
published list, once per event, within caps — through the CLI sweep, the API, and volunteering's confirmation."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongzhi.deliberation.enums import MeetingKind, ProjectStatus
from gongzhi.deliberation.models import Project
from gongzhi.deliberation.services import meetings, projects
from gongzhi.ledger.enums import BehaviorCategory, CapPeriod, Polarity
from gongzhi.ledger.models import Account, PointsAward, Transaction
from gongzhi.ledger.services import points
from gongzhi.ledger.verify import verify_ledger
from gongzhi.party.enums import Function
from gongzhi.volunteering import services as volunteering
from tests.factories.deliberation import make_proposal
from tests.factories.registry import make_household, make_resident

LISTS = "/api/v1/ledger/lists"


def balance(household) -> int:
    row = Account.objects.filter(household=household).first()
    return row.balance if row else 0


def sweep(*args) -> str:
    out = StringIO()
    call_command("ledger", "sweep-events", *args, stdout=out)
    return out.getvalue()


def publish_event_items(api, world, *items):
    """Start a new version of community A's list through the API, add ``items`` and publish it."""
    secretary = api(world.users["secretary_a"])
    draft = secretary.post(LISTS, {"community": world.tree.community_a.pk}).json()
    for body in items:
        response = secretary.post(f"{LISTS}/{draft['id']}/items", body)
        assert response.status_code == 201, response.content
    published = secretary.post(f"{LISTS}/{draft['id']}/publish", {})
    assert published.status_code == 200
    return published.json()


MEETING_ITEM = {"code": "E01", "polarity": "positive", "category": "self_governance", "name": "参加议事会签到",
                "points": 3, "evidence_required": False, "cap_points": 6, "cap_period": "month",
                "event": "meeting_attendance"}
HOURS_ITEM = {"code": "E02", "polarity": "positive", "category": "volunteering", "name": "志愿服务每小时",
              "points": 2, "evidence_required": True, "event": "volunteer_hours"}
PROPOSAL_ITEM = {"code": "E03", "polarity": "positive", "category": "self_governance", "name": "建议落地获好评",
                 "points": 15, "evidence_required": True, "event": "proposal_rated"}


def open_meeting(world, title="11月议事会"):
    secretary = world.users["secretary_a"]
    meeting = meetings.create_meeting(actor=secretary, community=world.tree.community_a, kind=MeetingKind.COUNCIL,
                                      title=title, starts_at=timezone.now())
    return meetings.start_meeting(actor=secretary, meeting=meeting)


def test_meeting_sign_ins_award_each_household_once_and_respect_the_cap(api, world):
    listed = publish_event_items(api, world, MEETING_ITEM)
    secretary = world.users["secretary_a"]
    household = world.households["a1"]
    spouse = make_resident(household, name="张配偶")
    first, second, third = (open_meeting(world, f"议事会{i}") for i in range(3))
    for meeting in (first, second, third):
        meetings.sign_in(actor=secretary, meeting=meeting, resident=world.residents["a1"])
    meetings.sign_in(actor=secretary, meeting=first, resident=spouse)  # same household, same meeting
    meetings.sign_in(actor=secretary, meeting=first, resident=world.residents["a2"])

    out = sweep()
    again = sweep()

    assert [i["event"] for i in listed["items"] if i["code"] == "E01"] == ["meeting_attendance"]
    assert "meeting_attendance: 3 awarded, 5 events seen" in out  # a1: 2 meetings within the cap of 6; a2: 1
    assert "meeting_attendance: 0 awarded, 5 events seen" in again
    assert (balance(household), balance(world.households["a2"])) == (6, 3)
    assert sorted(PointsAward.objects.filter(household=household).values_list("points", flat=True)) == [3, 3]
    assert Transaction.objects.filter(idempotency_key__startswith="event:meeting_attendance:").count() == 3
    assert verify_ledger().ok


def test_sweep_awards_nothing_without_a_published_event_item(world):
    meetings.sign_in(actor=world.users["secretary_a"], meeting=open_meeting(world), resident=world.residents["a1"])

    out = sweep()

    assert "meeting_attendance: 0 awarded, 0 events seen" in out
    assert PointsAward.objects.count() == 0


def test_a_cap_leaves_part_of_the_points_then_none(api, world):
    publish_event_items(api, world, {**MEETING_ITEM, "points": 4})  # cap 6 per month: 4, then 2, then nothing
    for i in range(3):
        meetings.sign_in(actor=world.users["secretary_a"], meeting=open_meeting(world, f"会{i}"),
                         resident=world.residents["a1"])

    sweep()

    assert sorted(PointsAward.objects.values_list("points", flat=True)) == [2, 4]
    assert balance(world.households["a1"]) == 6


def test_confirmed_volunteer_hours_award_points_per_full_hour_once(api, world):
    publish_event_items(api, world, HOURS_ITEM)
    staff = world.users["secretary_a"]
    volunteer = volunteering.register_volunteer(resident=world.residents["a2"], actor=staff)
    request = volunteering.request_service(requester=world.residents["a1"], actor=world.users["res_a1"],
                                           category="cleaning", description="打扫厨房")
    volunteering.match_request(request=request, volunteer=volunteer, actor=staff)
    done = volunteering.complete_request(request=request, actor=world.users["res_a2"], minutes=150)

    confirmed = api(world.users["res_a1"]).post(f"/api/v1/volunteering/records/{done.record_id}/confirm", {})
    out = sweep()
    awards = api(world.users["res_a2"]).get("/api/v1/ledger/awards").json()["items"]

    assert confirmed.status_code == 200
    assert "volunteer_hours: 0 awarded, 1 events seen" in out  # paid at confirmation already
    assert [(a["item_code"], a["points"], a["points_posted"]) for a in awards] == [("E02", 4, 4)]  # 2 full hours
    assert balance(world.households["a2"]) == 4


def make_completed_project(world, author, *, ratings, completed_at=None):
    proposal = make_proposal(world.tree.community_a, author, actor=world.users["secretary_a"])
    project = Project.objects.create(community=world.tree.community_a, path=world.tree.community_a.path,
                                     proposal=proposal, title="加装电梯", function=Function.PUBLIC_AFFAIRS,
                                     budget_fen=100, status=ProjectStatus.COMPLETED,
                                     completed_at=completed_at or timezone.now())
    for i, stars in enumerate(ratings):
        rater = make_resident(make_household(world.tree.buildings["A1-1"]), name=f"评议{i}")
        projects.rate_project(actor=world.users["secretary_a"], project=project, resident=rater, stars=stars)
    return project


@pytest.mark.parametrize(("ratings", "expected"), [
    ([5, 4, 4], 15),  # three ratings, average 4.33
    ([5, 5], 0),  # too few ratings
    ([5, 4, 2], 0),  # average 3.67
])
def test_a_well_rated_proposal_awards_its_authors_household(api, world, ratings, expected):
    publish_event_items(api, world, PROPOSAL_ITEM)
    make_completed_project(world, world.residents["a1"], ratings=ratings)

    sweep("--community", str(world.tree.community_a.pk))
    sweep()

    assert balance(world.households["a1"]) == expected
    assert PointsAward.objects.filter(item_code="E03").count() == (1 if expected else 0)


def test_events_older_than_the_window_are_left_alone(api, world):
    publish_event_items(api, world, PROPOSAL_ITEM)
    project = make_completed_project(world, world.residents["a1"], ratings=[5, 5, 5],
                                     completed_at=timezone.now() - dt.timedelta(days=60))
    project.ratings.update(created_at=timezone.now() - dt.timedelta(days=50))

    short = sweep("--days", "31")
    long = sweep("--days", "90")

    assert "proposal_rated: 0 awarded, 0 events seen" in short
    assert "proposal_rated: 1 awarded, 1 events seen" in long
    assert balance(world.households["a1"]) == 15


@pytest.mark.parametrize(("body", "field"), [
    ({**MEETING_ITEM, "polarity": "negative"}, "event"),  # a deduction is never automatic
    ({**MEETING_ITEM, "event": "birthday"}, "event"),
])
def test_event_items_refuse_bad_input(api, world, body, field):
    secretary = api(world.users["secretary_a"])
    draft = secretary.post(LISTS, {"community": world.tree.community_a.pk}).json()

    response = secretary.post(f"{LISTS}/{draft['id']}/items", body)

    assert response.status_code == 422
    assert field in response.content.decode()


def test_one_item_per_event_on_a_list(api, world):
    secretary = api(world.users["secretary_a"])
    draft = secretary.post(LISTS, {"community": world.tree.community_a.pk}).json()
    secretary.post(f"{LISTS}/{draft['id']}/items", MEETING_ITEM)

    second = secretary.post(f"{LISTS}/{draft['id']}/items", {**MEETING_ITEM, "code": "E09"})

    assert second.status_code == 422
    assert second.json()["field"] == "event"


def test_staff_award_of_an_event_item_still_works_by_hand(world):
    draft = points.create_draft(community=world.tree.community_a, actor=world.users["secretary_a"])
    item = points.add_item(behavior_list=draft, actor=world.users["secretary_a"], code="E05",
                           polarity=Polarity.POSITIVE, category=BehaviorCategory.CLUB, name="社团活动",
                           points=5, evidence_required=False, cap_points=5, cap_period=CapPeriod.WEEK,
                           event="meeting_attendance")
    points.publish_list(behavior_list=draft, actor=world.users["secretary_a"])

    award = points.award_points(household=world.households["a2"], item=item, actor=world.users["worker_a"])

    assert (award.points, balance(world.households["a2"])) == (5, 5)
