"""List endpoints cost the same number of queries for 1 and 3 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.appeals.enums import AppealStatus
from tests.factories.appeals import appeal_in, make_world

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "user", "status", "expected"),
    [
        ("/api/v1/appeals", "secretary_a", AppealStatus.IN_PROGRESS, 4),  # token, scopes, count, page
        ("/api/v1/public/appeals", None, AppealStatus.CLOSED, 2),  # count, page
    ],
)
def test_list_query_count_does_not_grow_with_rows(api, url, user, status, expected):
    world = make_world()
    client = api(getattr(world, user) if user else None)
    appeal_in(world, status)
    client.get(url)  # the token's first use also records last_used_at
    one = count_queries(client, url)
    appeal_in(world, status)
    appeal_in(world, status)
    three = count_queries(client, url)

    assert (one, three) == (expected, expected)
