import pytest

from gongzhi.appeals.enums import AppealStatus, Tier
from gongzhi.appeals.models import Appeal, AppealEvent, Idempotency, TriageDecision
from tests.factories.appeals import FUMES, PRUNING, WASHER, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_fumes_appeal_is_triaged_red_to_the_environment_department(api, world):
    response = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES})

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["tier"], body["color"], body["category"], body["status"]) == (
        "government",
        "red",
        "生态环境",
        "triaged",
    )
    assert body["handler"] == "区生态环境局·大气环境科"
    assert body["due_at"] is not None
    appeal = Appeal.objects.get(pk=body["id"])
    assert appeal.list_item.code == "restaurant-fumes"
    assert appeal.list_version.version == 1
    assert list(appeal.events.values_list("action", "to_status")) == [
        ("submit", "submitted"),
        ("triage", "triaged"),
    ]


@pytest.mark.parametrize(
    ("text", "tier", "color", "handler"),
    [
        (PRUNING, Tier.COMMUNITY, "orange", "committee:environment"),
        (WASHER, Tier.PRIVATE, "yellow", "resident:"),
    ],
)
def test_pruning_goes_orange_and_washer_goes_yellow(api, world, text, tier, color, handler):
    body = api(world.resident_a).post("/api/v1/appeals", {"text": text}).json()

    assert (body["tier"], body["color"]) == (tier, color)
    assert f"{body['handler_kind']}:{body['committee']}" == handler


def test_unmatched_text_waits_for_triage(api, world):
    body = api(world.resident_a).post("/api/v1/appeals", {"text": "想问问社区最近有什么新闻"}).json()

    assert (body["status"], body["tier"], body["color"]) == ("submitted", "", "")


def test_retry_with_same_idempotency_key_returns_the_same_case(api, world):
    client = api(world.resident_a)

    first = client.post("/api/v1/appeals", {"text": FUMES}, HTTP_IDEMPOTENCY_KEY="abc-123")
    second = client.post("/api/v1/appeals", {"text": FUMES}, HTTP_IDEMPOTENCY_KEY="abc-123")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1
    assert AppealEvent.objects.filter(action="submit").count() == 1
    assert Idempotency.objects.count() == 1


def test_same_key_with_a_different_body_is_refused(api, world):
    client = api(world.resident_a)
    client.post("/api/v1/appeals", {"text": FUMES}, HTTP_IDEMPOTENCY_KEY="k1")

    response = client.post("/api/v1/appeals", {"text": PRUNING}, HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert Appeal.objects.count() == 1


def test_keys_are_scoped_per_user(api, world):
    a = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES}, HTTP_IDEMPOTENCY_KEY="same")
    b = api(world.resident_b).post("/api/v1/appeals", {"text": FUMES}, HTTP_IDEMPOTENCY_KEY="same")

    assert a.json()["id"] != b.json()["id"]
    assert Appeal.objects.count() == 2


def test_contact_phone_is_encrypted_and_masked(api, world):
    body = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES, "contact": "13912345678"}).json()

    appeal = Appeal.objects.get(pk=body["id"])
    assert "13912345678" not in appeal.contact_phone_cipher
    assert appeal.contact_phone_masked == "139****5678"
    assert body["contact"] == "李** 139****5678"


def test_bad_phone_and_empty_text_name_the_field(api, world):
    client = api(world.resident_a)

    bad_phone = client.post("/api/v1/appeals", {"text": FUMES, "contact": "12345"})
    empty = client.post("/api/v1/appeals", {"text": ""})

    assert (bad_phone.status_code, bad_phone.json()["field"]) == (422, "contact")
    assert (empty.status_code, empty.json()["field"]) == (422, "text")
    assert Appeal.objects.count() == 0


def test_resident_cannot_file_in_another_community(api, world):
    response = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES, "community_id": world.tree.community_b.pk})

    assert response.status_code == 403
    assert Appeal.objects.count() == 0


def test_staff_phone_entry_records_the_staff_and_not_a_submitter(api, world):
    body = (
        api(world.worker_a)
        .post(
            "/api/v1/appeals",
            {"text": FUMES, "channel": "phone", "contact": "13700001111", "contact_name": "王大妈"},
        )
        .json()
    )

    appeal = Appeal.objects.get(pk=body["id"])
    assert (appeal.recorded_by_id, appeal.submitted_by_id, appeal.channel) == (
        world.worker_a.pk,
        None,
        "phone",
    )
    assert body["contact"] == "王** 137****1111"


def test_staff_override_keeps_a_triage_decision(api, world):
    appeal_id = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES}).json()["id"]

    response = api(world.secretary_a).post(
        f"/api/v1/appeals/{appeal_id}/actions/triage",
        {"tier": "community", "category": "邻里纠纷", "handler": "committee:safety_mediation"},
    )

    assert response.status_code == 200, response.content
    assert (response.json()["tier"], response.json()["status"]) == ("community", AppealStatus.TRIAGED)
    decisions = list(TriageDecision.objects.filter(appeal_id=appeal_id).values_list("source", "overridden"))
    assert decisions == [("list", False), ("staff", True)]
    last = TriageDecision.objects.last()
    assert last.suggested["handler"] == f"department:{world.fumes_department.pk}"
    assert last.chosen["handler"] == "committee:safety_mediation"


class BrokenClassifier:
    def suggest(self, text):
        raise RuntimeError("model file missing")


def test_a_failing_classifier_never_loses_the_appeal(api, world, settings):
    settings.APPEALS_CLASSIFIER = "tests.appeals.test_intake.BrokenClassifier"

    response = api(world.resident_a).post("/api/v1/appeals", {"text": "想问问社区最近有什么新闻"})

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["suggestion"]) == ("submitted", {})
    assert Appeal.objects.count() == 1
