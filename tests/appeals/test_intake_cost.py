"""What one intake costs the database, and that its per-process caches still see a new publication."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongzhi.appeals.models import Appeal, AppealEvent, Notification, OutboxMessage, TriageDecision
from tests.factories.appeals import FUMES, make_world, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_a_residents_intake_is_a_fixed_set_of_statements_without_update_or_savepoint(api, world):
    client = api(world.resident_a)
    client.post("/api/v1/appeals", {"text": FUMES})  # the token's first use also records last_used_at

    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/api/v1/appeals", {"text": FUMES}, HTTP_IDEMPOTENCY_KEY="cost-1")

    assert response.status_code == 201, response.content
    statements = [q["sql"].split(" ", 1)[0].upper() for q in ctx.captured_queries]
    # token, resident (with building and community), list version, community staff; then the case, both events,
    # the triage decision, the notices, the outbox rows and the idempotency record
    assert statements.count("SELECT") == 4
    assert statements.count("INSERT") == 6
    assert "UPDATE" not in statements
    # the intake's own transaction (a savepoint here only because the test runs inside one), nothing nested
    assert sum("SAVEPOINT" in q["sql"] for q in ctx.captured_queries) == 2
    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert list(AppealEvent.objects.filter(appeal=appeal).values_list("action", "from_status", "to_status")) == [
        ("submit", "", "submitted"),
        ("triage", "submitted", "triaged"),
    ]
    assert TriageDecision.objects.filter(appeal=appeal, source="list", overridden=False).count() == 1
    staff = {world.secretary_a.pk, world.worker_a.pk}
    assert set(Notification.objects.filter(appeal=appeal).values_list("user_id", flat=True)) == staff
    assert set(OutboxMessage.objects.filter(appeal=appeal).values_list("user_id", flat=True)) == staff


def test_the_next_intake_is_triaged_under_a_newly_published_list(api, world):
    client = api(world.resident_a)
    first = client.post("/api/v1/appeals", {"text": FUMES}).json()
    publish(world.tree.community_a, world.secretary_a)

    second = client.post("/api/v1/appeals", {"text": FUMES}).json()

    assert (first["list_version"], second["list_version"]) == (1, 2)
    assert Appeal.objects.get(pk=second["id"]).list_item.responsibility_list.version == 2
