"""Anonymous appeals (匿名诉求): only where the community's secretary allows them; never a name on the case."""

import pytest
from django.test import Client

from gongzhi.appeals.models import Appeal, AppealEvent, AppealSettings
from gongzhi.core.models import AuditEvent
from tests.factories.appeals import FUMES, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def allow(api, world, value=True, community=None):
    community = community or world.tree.community_a
    response = api(world.secretary_a).put(f"/api/v1/appeals/settings/{community.pk}", {"allow_anonymous": value})
    assert response.status_code == 200, response.content
    return response.json()


def test_anonymous_is_refused_by_default_and_nothing_is_created(api, world):
    response = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES, "anonymous": True})

    assert response.status_code == 422
    assert (response.json()["field"], response.json()["detail"]) == (
        "anonymous",
        "本社区不受理匿名诉求，请填写您的姓名。",  # zh-Hans first
    )
    assert Appeal.objects.count() == 0
    assert AppealSettings.objects.count() == 0


def test_once_allowed_an_anonymous_appeal_carries_no_name_anywhere(api, world):
    allow(api, world)

    response = api(world.resident_a).post(
        "/api/v1/appeals", {"text": FUMES, "anonymous": True, "contact_name": "李秀英", "contact": "13912345678"}
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["anonymous"], body["contact"]) == (True, "")
    appeal = Appeal.objects.get(pk=body["id"])
    assert (appeal.resident_id, appeal.contact_name_cipher, appeal.contact_name_masked) == (None, "", "")
    assert "13912345678" not in appeal.contact_phone_cipher  # kept for a call-back, encrypted
    assert appeal.submitted_by_id == world.resident_a.pk  # she still follows and rates her own case
    staff_view = api(world.secretary_a).get(f"/api/v1/appeals/{appeal.pk}").json()
    assert (staff_view["contact"], staff_view["timeline"][0]["actor"]) == ("", "匿名")  # zh-Hans first
    assert "李" not in str(staff_view)
    assert "5678" not in str(staff_view)
    submit_event = AppealEvent.objects.get(appeal=appeal, action="submit")
    assert submit_event.actor_name == "匿名"
    assert api(world.resident_a).get(f"/api/v1/appeals/{appeal.pk}").status_code == 200


def test_staff_entry_for_a_registered_resident_drops_the_link_when_anonymous(api, world):
    allow(api, world)
    resident = world.resident_a.resident

    body = api(world.worker_a).post(
        "/api/v1/appeals",
        {"text": FUMES, "channel": "phone", "resident_id": resident.pk, "contact_name": "李秀英", "anonymous": True},
    ).json()

    appeal = Appeal.objects.get(pk=body["id"])
    assert (appeal.resident_id, appeal.contact_name_masked, body["contact"]) == (None, "", "")


def test_the_setting_of_one_community_does_not_open_another(api, world):
    allow(api, world)

    response = api(world.resident_b).post("/api/v1/appeals", {"text": FUMES, "anonymous": True})

    assert (response.status_code, response.json()["field"]) == (422, "anonymous")


def test_switching_it_off_again_refuses_again(api, world):
    allow(api, world)
    allow(api, world, False)

    response = api(world.resident_a).post("/api/v1/appeals", {"text": FUMES, "anonymous": True})

    assert response.status_code == 422


@pytest.mark.parametrize("user", ["worker_a", "grid_a1", "secretary_b", "street", "dept", "resident_a"])
def test_only_the_communitys_secretary_or_an_administrator_may_change_it(api, world, user):
    response = api(getattr(world, user)).put(
        f"/api/v1/appeals/settings/{world.tree.community_a.pk}", {"allow_anonymous": True}
    )

    assert response.status_code == 403
    assert not AppealSettings.objects.filter(allow_anonymous=True).exists()


def test_without_login_it_cannot_be_changed(api, world):
    response = api().put(f"/api/v1/appeals/settings/{world.tree.community_a.pk}", {"allow_anonymous": True})

    assert response.status_code == 401
    assert not AppealSettings.objects.exists()


def test_an_administrator_may_change_it_and_it_is_audited(api, world):
    response = api(world.admin).put(
        f"/api/v1/appeals/settings/{world.tree.community_b.pk}", {"allow_anonymous": True}
    )

    assert (response.status_code, response.json()["allow_anonymous"]) == (200, True)
    audit = AuditEvent.objects.get(target_type__contains="appealsettings")
    assert (audit.actor_id, audit.data["allow_anonymous"]) == (world.admin.pk, [False, True])


@pytest.mark.parametrize("value", ["maybe", None, 2, [True]])
def test_a_bad_value_is_a_422_and_changes_nothing(api, world, value):
    response = api(world.secretary_a).put(
        f"/api/v1/appeals/settings/{world.tree.community_a.pk}", {"allow_anonymous": value}
    )

    assert response.status_code == 422
    assert not AppealSettings.objects.exists()


def test_settings_of_a_place_that_is_not_a_community_are_404(api, world):
    put = api(world.admin).put(f"/api/v1/appeals/settings/{world.tree.street.pk}", {"allow_anonymous": True})
    get = api().get(f"/api/v1/public/appeal-settings/{world.tree.grid_a1.pk}")

    assert (put.status_code, get.status_code) == (404, 404)


def test_the_public_setting_is_readable_without_login(api, world):
    before = api().get(f"/api/v1/public/appeal-settings/{world.tree.community_a.pk}").json()
    allow(api, world)
    after = api().get(f"/api/v1/public/appeal-settings/{world.tree.community_a.pk}").json()

    assert (before["allow_anonymous"], after["allow_anonymous"]) == (False, True)


def test_the_portal_form_offers_anonymity_only_where_allowed(api, world):
    c = Client()
    c.force_login(world.resident_a)
    before = c.get("/my/appeals/new/").content.decode()
    allow(api, world)
    after = c.get("/my/appeals/new/").content.decode()

    assert 'name="anonymous"' not in before
    assert 'name="anonymous"' in after


def test_a_forged_portal_form_is_refused_where_not_allowed(world):
    c = Client()
    c.force_login(world.resident_a)

    c.post("/my/appeals/new/", {"text": FUMES, "anonymous": "1", "idempotency_key": "forged-1"})

    assert Appeal.objects.count() == 0
