"""Likely duplicates: found, not found, and never across the asking user's scope."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.appeals import services as appeal_services
from gongzhi.appeals.enums import Channel
from gongzhi.triage.duplicates import WINDOW_DAYS
from gongzhi.triage.models import TriageModel
from tests.factories.appeals import make_world

pytestmark = pytest.mark.django_db

FUMES_1 = "楼下沙县小吃油烟直排，晚上都不敢开窗"
FUMES_2 = "我家楼下那个沙县小吃店每天炒菜油烟直接往楼上冒，衣服都不能晾"
LIFT = "我们楼想加装电梯，请问补贴政策是怎样的"


@pytest.fixture
def world(builtin):
    return make_world()


def file(world, text, *, place=None, by=None, days_ago=0):
    return appeal_services.submit_appeal(
        actor=by or world.secretary_a, community=world.tree.community_a, place=place, text=text,
        channel=Channel.PHONE, created_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def ids(response):
    assert response.status_code == 200, response.content
    return [d["id"] for d in response.json()["items"]]


def test_same_matter_at_the_same_building_is_a_likely_duplicate(api, world):
    building = world.tree.buildings["A1-1"]
    first = file(world, FUMES_1, place=building, days_ago=5)
    other_matter = file(world, LIFT, place=building, days_ago=3)
    second = file(world, FUMES_2, place=building)

    response = api(world.secretary_a).get(f"/api/v1/triage/appeals/{second.pk}/duplicates")

    assert ids(response) == [first.pk]
    found = response.json()["items"][0]
    assert (found["place"], found["days_apart"]) == ("same_place", 5.0)
    assert found["score"] >= response.json()["threshold"] == 0.3
    assert other_matter.pk not in ids(response)


def test_cases_older_than_the_window_are_not_candidates(api, world):
    building = world.tree.buildings["A1-1"]
    file(world, FUMES_1, place=building, days_ago=WINDOW_DAYS + 1)
    second = file(world, FUMES_2, place=building)

    assert ids(api(world.secretary_a).get(f"/api/v1/triage/appeals/{second.pk}/duplicates")) == []


def test_a_grid_worker_never_sees_another_grids_case_as_a_duplicate(api, world):
    community_level = file(world, FUMES_1)  # no place: the whole community, outside every grid
    in_a1 = file(world, FUMES_1, place=world.tree.buildings["A1-2"])
    in_a2 = file(world, FUMES_2, place=world.tree.buildings["A2-1"])

    as_secretary = ids(api(world.secretary_a).get(f"/api/v1/triage/appeals/{in_a2.pk}/duplicates"))
    as_grid_a2 = ids(api(world.grid_a2).get(f"/api/v1/triage/appeals/{in_a2.pk}/duplicates"))
    as_grid_a1 = api(world.grid_a1).get(f"/api/v1/triage/appeals/{in_a2.pk}/duplicates")

    assert community_level.pk in as_secretary  # "within": the community-wide case may be the same matter
    assert in_a1.pk not in as_secretary  # another grid's building is not the same place
    assert as_grid_a2 == []
    assert as_grid_a1.status_code == 404


def test_a_text_can_be_checked_before_it_is_filed(api, world):
    building = world.tree.buildings["A1-1"]
    first = file(world, FUMES_1, place=building)

    found = api(world.grid_a1).post("/api/v1/triage/duplicates", {"text": FUMES_2, "place_id": building.pk})
    elsewhere = api(world.grid_a2).post("/api/v1/triage/duplicates", {"text": FUMES_2, "place_id": building.pk})
    missing = api(world.grid_a1).post("/api/v1/triage/duplicates", {"text": FUMES_2})

    assert ids(found) == [first.pk]
    assert elsewhere.status_code == 404  # the place is not in grid A2
    assert (missing.status_code, missing.json()["field"]) == (422, "place_id")


def test_a_resident_gets_no_duplicates(api, world):
    mine = appeal_services.submit_appeal(actor=world.resident_a, community=world.tree.community_a,
                                         place=world.tree.buildings["A1-1"], text=FUMES_2,
                                         resident=world.resident_a.resident)
    file(world, FUMES_1, place=world.tree.buildings["A1-1"])

    response = api(world.resident_a).get(f"/api/v1/triage/appeals/{mine.pk}/duplicates")

    assert response.status_code == 403


def test_the_same_report_scores_less_the_longer_ago_it_was_filed(api, world):
    building = world.tree.buildings["A1-1"]
    recent = file(world, FUMES_1, place=building, days_ago=2)
    older = file(world, FUMES_1, place=building, days_ago=8)
    new = file(world, FUMES_1, place=building)

    items = api(world.secretary_a).get(f"/api/v1/triage/appeals/{new.pk}/duplicates").json()["items"]

    assert [(d["id"], d["days_apart"]) for d in items] == [(recent.pk, 2.0), (older.pk, 8.0)]
    assert items[0]["score"] > items[1]["score"]
    assert WINDOW_DAYS == 10


def test_duplicates_are_found_without_an_installed_model(api, db):
    world = make_world()
    building = world.tree.buildings["A1-1"]
    first = file(world, FUMES_1, place=building, days_ago=1)
    file(world, LIFT, place=building)
    second = file(world, "楼下沙县小吃油烟直排太严重了，晚上不敢开窗", place=building)

    response = api(world.secretary_a).get(f"/api/v1/triage/appeals/{second.pk}/duplicates")

    assert ids(response) == [first.pk]
    assert TriageModel.objects.count() == 0


def test_the_case_fragment_lists_the_duplicate_with_its_days_apart(client, world):
    building = world.tree.buildings["A1-1"]
    first = file(world, FUMES_1, place=building, days_ago=2)
    second = file(world, FUMES_2, place=building)
    client.force_login(world.grid_a2)
    hidden = client.get(f"/console/triage/appeals/{second.pk}/duplicates/", HTTP_HX_REQUEST="true")
    client.force_login(world.secretary_a)

    response = client.get(f"/console/triage/appeals/{second.pk}/duplicates/", HTTP_HX_REQUEST="true")

    assert hidden.status_code == 404
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="duplicates">')  # the fragment, not the page
    assert f'href="/console/appeals/{first.pk}/"' in html
    assert '<td class="num">2.0</td>' in html
