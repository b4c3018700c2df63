import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongzhi.appeals.enums import AppealStatus, ListStatus
from gongzhi.appeals.models import Appeal, ResponsibilityList
from tests.factories.appeals import FUMES, appeal_in, make_world

pytestmark = pytest.mark.django_db
S = AppealStatus
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def world():
    return make_world()


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_console_pages_render_for_staff(world):
    appeal = appeal_in(world, S.ASSIGNED)
    c = client_for(world.secretary_a)

    for url in [
        "/console/appeals/",
        "/console/appeals/triage/",
        "/console/appeals/inbox/",
        "/console/appeals/overdue/?group=community",
        "/console/appeals/new/",
        "/console/appeals/lists/",
        f"/console/appeals/lists/{world.tree.community_a.pk}/",
        f"/console/appeals/{appeal.pk}/",
    ]:
        response = c.get(url)
        assert response.status_code == 200, url
    assert "区生态环境局·大气环境科" in c.get(f"/console/appeals/{appeal.pk}/").content.decode()


def test_case_page_of_another_community_is_404(world):
    appeal = appeal_in(world, S.TRIAGED)

    assert client_for(world.secretary_b).get(f"/console/appeals/{appeal.pk}/").status_code == 404


def test_street_accepts_and_department_replies_through_the_case_page(world):
    appeal = appeal_in(world, S.ASSIGNED)

    client_for(world.street).post(f"/console/appeals/{appeal.pk}/", {"action": "accept"})
    dept = client_for(world.dept)
    dept.post(f"/console/appeals/{appeal.pk}/", {"action": "start"})
    refused = dept.post(f"/console/appeals/{appeal.pk}/", {"action": "reply", "note": ""}, follow=True)
    dept.post(
        f"/console/appeals/{appeal.pk}/",
        {
            "action": "reply",
            "note": "已整改",
            "resolved": "1",
            "files": SimpleUploadedFile("p.png", PNG, content_type="image/png"),
        },
    )

    appeal.refresh_from_db()
    assert appeal.status == S.REPLIED
    assert appeal.reply == "已整改"
    assert appeal.events.get(action="reply").attachments.count() == 1
    assert refused.status_code == 200
    assert [m.level_tag for m in refused.context["messages"]][-1] == "error"


def test_department_cannot_act_on_an_appeal_it_cannot_see(world):
    appeal = appeal_in(world, S.ACCEPTED)

    response = client_for(world.other_dept).post(f"/console/appeals/{appeal.pk}/", {"action": "start"})

    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.status == S.ACCEPTED


def test_triage_inbox_confirms_in_one_click(world):
    appeal = appeal_in(world, S.TRIAGED)
    c = client_for(world.worker_a)

    page = c.get("/console/appeals/triage/").content.decode()
    c.post(f"/console/appeals/{appeal.pk}/", {"action": "assign", "next": "/console/appeals/triage/"})

    assert f'id="case-{appeal.pk}"' in page
    appeal.refresh_from_db()
    assert appeal.status == S.ASSIGNED


def test_resident_submits_with_photo_sees_timeline_and_rates(world, settings):
    c = client_for(world.resident_a)
    response = c.post(
        "/my/appeals/new/",
        {
            "text": FUMES,
            "idempotency_key": "form-1",
            "photos": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
        },
    )
    again = c.post("/my/appeals/new/", {"text": FUMES, "idempotency_key": "form-1"})  # double submit

    appeal = Appeal.objects.get()
    assert response.status_code == again.status_code == 302
    assert appeal.attachments.count() == 1
    assert appeal.place == world.resident_a.resident.household.building
    assert "区生态环境局" in c.get(f"/my/appeals/{appeal.pk}/").content.decode()
    assert c.get("/my/appeals/").status_code == 200


def test_resident_rates_from_the_portal_and_cannot_open_others(world):
    appeal = appeal_in(world, S.REPLIED)
    c = client_for(world.resident_a)

    c.post(f"/my/appeals/{appeal.pk}/", {"action": "rate", "rating": "basically_satisfied", "comment": "还行"})

    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.satisfied) == (S.RATED, "basically_satisfied", True)
    assert client_for(world.resident_b).get(f"/my/appeals/{appeal.pk}/").status_code == 404


def test_public_board_needs_no_login_and_is_redacted(world):
    appeal_in(world, S.CLOSED, text="油烟直排，电话13812345678")

    body = Client().get("/my/appeals/board/").content.decode()

    assert "油烟直排，电话[电话]" in body
    assert "13812345678" not in body


def test_secretary_drafts_edits_and_publishes_a_new_version(world):
    c = client_for(world.secretary_a)
    url = f"/console/appeals/lists/{world.tree.community_a.pk}/"

    c.post(url, {"op": "draft"})
    draft = ResponsibilityList.objects.get(community=world.tree.community_a, status=ListStatus.DRAFT)
    c.post(
        url,
        {
            "op": "add_item",
            "code": "night-market",
            "matter": "夜市占道",
            "tier": "government",
            "category": "城市管理",
            "handler": f"department:{world.fumes_department.pk}",
            "keywords": "夜市，摊位",
            "accept_hours": "2",
            "respond_hours": "4",
            "reply_days": "3",
        },
    )
    c.post(url, {"op": "publish"})

    draft.refresh_from_db()
    assert (draft.version, draft.status) == (2, ListStatus.PUBLISHED)
    assert draft.items.get(code="night-market").keywords == ["夜市", "摊位"]
    assert ResponsibilityList.objects.get(community=world.tree.community_a, version=1).status == "superseded"


def test_grid_worker_cannot_edit_the_list(world):
    c = client_for(world.grid_a1)

    c.post(f"/console/appeals/lists/{world.tree.community_a.pk}/", {"op": "draft"})

    assert ResponsibilityList.objects.filter(status=ListStatus.DRAFT).count() == 0


def test_staff_entry_records_a_phone_appeal(world):
    c = client_for(world.grid_a1)

    c.post(
        "/console/appeals/new/",
        {
            "community": world.tree.community_a.pk,
            "channel": "grid_walk",
            "text": "路灯不亮好几天了",
            "contact_name": "王大爷",
        },
    )

    appeal = Appeal.objects.get()
    assert (appeal.channel, appeal.recorded_by, appeal.tier) == ("grid_walk", world.grid_a1, "government")


def test_photos_are_served_only_to_those_who_may_see_the_case(world):
    c = client_for(world.resident_a)
    c.post("/my/appeals/new/", {"text": FUMES, "photos": SimpleUploadedFile("a.png", PNG, content_type="image/png")})
    photo = Appeal.objects.get().attachments.get()
    url = f"/my/appeals/files/{photo.pk}/"

    own = c.get(url)
    staff = client_for(world.secretary_a).get(url)
    other = client_for(world.secretary_b).get(url)
    anonymous = Client().get(url)

    assert (own.status_code, staff.status_code, other.status_code) == (200, 200, 404)
    assert b"".join(own.streaming_content) == PNG
    assert anonymous.status_code == 302  # to the login page


def test_published_list_is_public(world):
    body = Client().get(f"/my/appeals/lists/{world.tree.community_a.pk}/").content.decode()

    assert "餐馆油烟扰民" in body
    assert Client().get(f"/my/appeals/lists/{world.tree.community_b.pk}/").status_code == 404


def test_case_page_loads_likely_duplicates_for_open_cases_only(world):
    open_case = appeal_in(world, S.TRIAGED)
    closed = appeal_in(world, S.CLOSED)
    c = client_for(world.secretary_a)
    loader = f'hx-get="/console/triage/appeals/{open_case.pk}/duplicates/"'

    page = c.get(f"/console/appeals/{open_case.pk}/").content.decode()
    fragment = c.get(f"/console/triage/appeals/{open_case.pk}/duplicates/", HTTP_HX_REQUEST="true")

    assert loader in page
    assert fragment.status_code == 200
    assert "/duplicates/" not in c.get(f"/console/appeals/{closed.pk}/").content.decode()
