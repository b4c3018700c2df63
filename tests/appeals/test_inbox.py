"""The inboxes at scale: scope, deadline order, keyset pages, bounded counts, and the partial indexes."""

import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.appeals import selectors
from gongzhi.appeals.models import Appeal
from tests.factories.appeals import appeal_in, make_world, submit

pytestmark = pytest.mark.django_db

HANDLER = "/api/v1/appeals/inbox/handler"
TRIAGE = "/api/v1/appeals/inbox/triage"


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def assigned(world):
    """Seven government cases of community A waiting for the street, with two equal deadlines."""
    cases = [appeal_in(world, "assigned") for _ in range(7)]
    base = timezone.now() + dt.timedelta(days=1)
    offsets = [5, 1, 3, 3, 0, 6, 2]  # hours; cases 2 and 3 share a deadline
    for case, hours in zip(cases, offsets, strict=True):
        Appeal.objects.filter(pk=case.pk).update(due_at=base + dt.timedelta(hours=hours))
    return sorted(Appeal.objects.filter(pk__in=[c.pk for c in cases]), key=lambda a: (a.due_at, a.pk))


def walk(client, url, limit):
    """Every page of an inbox by following ``next``: (ids in order, counts seen, number of pages)."""
    ids, counts, pages, cursor = [], set(), 0, ""
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        body = client.get(url, **params).json()
        ids += [a["id"] for a in body["items"]]
        counts.add((body["count"], body["count_exact"]))
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return ids, counts, pages


def test_cursor_pages_return_every_case_once_in_deadline_order(api, world, assigned):
    ids, counts, pages = walk(api(world.street), HANDLER, 3)

    assert ids == [a.pk for a in assigned]
    assert counts == {(7, True)}
    assert pages == 3


def test_cases_leaving_or_arriving_between_pages_do_not_shift_the_next_page(api, world, assigned):
    client = api(world.street)
    first = client.get(HANDLER, limit=3).json()
    # between the two requests a case of the first page is withdrawn and a more urgent one arrives: an offset
    # would now skip a case; the cursor continues right after the last case shown
    Appeal.objects.filter(pk=first["items"][0]["id"]).update(status="withdrawn")
    urgent = appeal_in(world, "assigned")
    Appeal.objects.filter(pk=urgent.pk).update(due_at=assigned[0].due_at - dt.timedelta(hours=1))
    second = client.get(HANDLER, limit=10, cursor=first["next"]).json()

    assert [a["id"] for a in second["items"]] == [a.pk for a in assigned[3:]]
    assert client.get(HANDLER, limit=1).json()["items"][0]["id"] == urgent.pk


@pytest.mark.parametrize(
    ("user", "expected"),
    [("street", 7), ("secretary_a", 7), ("grid_a1", 7), ("dept", 7), ("secretary_b", 0), ("grid_a2", 0),
     ("other_dept", 0), ("resident_a", 0)],
)
def test_handler_inbox_shows_only_the_users_scope(api, world, assigned, user, expected):
    body = api(getattr(world, user)).get(HANDLER, limit=50).json()

    assert (len(body["items"]), body["count"], body["count_exact"]) == (expected, expected, True)


@pytest.mark.parametrize(("user", "expected"), [("secretary_a", 2), ("street", 2), ("dept", 0), ("secretary_b", 0)])
def test_departments_never_see_cases_before_they_are_sent(api, world, user, expected):
    submit(world)
    submit(world, "小区里有人乱扔垃圾，没人管")
    appeal_in(world, "assigned")

    body = api(getattr(world, user)).get(TRIAGE).json()

    assert (len(body["items"]), body["count"]) == (expected, expected)
    assert {a["status"] for a in body["items"]} <= {"submitted", "triaged"}


def test_count_stops_at_the_cap_and_says_so(api, world, assigned, monkeypatch):
    monkeypatch.setattr(selectors, "INBOX_COUNT_CAP", 5)

    body = api(world.street).get(HANDLER, limit=2).json()

    assert (body["count"], body["count_exact"], len(body["items"])) == (5, False, 2)


@pytest.mark.parametrize("cursor", ["x", "12.", ".0", "1.99999999999999999999", "9" * 40 + ".1", "5.-3", "1e3.4"])
def test_a_bad_cursor_is_a_422_naming_it(api, world, assigned, cursor):
    response = api(world.street).get(HANDLER, cursor=cursor)

    assert response.status_code == 422, response.content
    assert response.json()["field"] == "cursor"


def test_deep_offsets_are_refused_in_favour_of_the_cursor(api, world):
    response = api(world.street).get(HANDLER, offset=1001)

    assert response.status_code == 422


def test_unknown_inbox_is_404(api, world):
    assert api(world.street).get("/api/v1/appeals/inbox/everything").status_code == 404


def test_an_inbox_row_says_what_the_case_says(api, world, assigned):
    """Inbox rows are read as plain values, not through the case serializer: every field a row carries must
    agree with the case page, the handler label and the overdue flag included."""
    late = assigned[0]
    Appeal.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    client = api(world.street)

    rows = client.get(HANDLER, limit=50).json()["items"]

    assert rows[0]["id"] == late.pk
    assert rows[0]["overdue"] is True
    assert [r["overdue"] for r in rows[1:]] == [False] * 6
    for row in rows:
        case = client.get(f"/api/v1/appeals/{row['id']}").json()
        assert row["handler"]
        assert row["community"]
        assert row == {k: case[k] for k in row}, row["id"]
    # the contact, the reply and the rating stay on the case page
    assert not {"contact", "reply", "rating", "suggestion"} & set(rows[0])


def test_an_inbox_row_names_a_committee_or_the_resident_as_handler(api, world):
    case = appeal_in(world, "assigned")
    Appeal.objects.filter(pk=case.pk).update(handler_kind="committee", committee="environment",
                                              department=None)

    row = api(world.secretary_a).get(HANDLER).json()["items"][0]

    assert row["handler"] == Appeal.objects.get(pk=case.pk).handler_label
    assert row["handler"] not in ("", "committee")
