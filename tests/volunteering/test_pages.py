from django.test import Client

from gongzhi.volunteering import services
from gongzhi.volunteering.models import MicroWish, ServiceRequest


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_console_and_portal_pages_render_for_their_users(world):
    staff, volunteer = client_for(world.users["worker_a"]), client_for(world.users["res_a1"])
    for client, url in ((staff, "/console/volunteering/"), (staff, "/console/volunteering/wishes/"),
                        (volunteer, "/my/volunteering/"), (volunteer, "/my/volunteering/wishes/"),
                        (volunteer, "/my/volunteering/certificate/")):
        assert (url, client.get(url).status_code) == (url, 200)


def test_resident_asks_for_help_for_her_mother_from_the_portal(world):
    client = client_for(world.users["res_a1"])

    client.post("/my/volunteering/", {"action": "ask", "resident": world.residents["elder"].pk,
                                      "category": "cleaning", "description": "打扫厨房", "funding": "community"})

    assert list(ServiceRequest.objects.values_list("requester__name", "requested_by__username")) == [
        ("刘奶奶", "res_a1")]


def test_party_member_claims_from_the_portal_and_the_board_masks_names(world):
    wish = services.post_wish(beneficiary=world.residents["a2"], actor=world.users["res_a2"], title="想学剪纸")

    client_for(world.users["res_party"]).post("/my/volunteering/wishes/", {"action": "claim", "wish": wish.pk})
    board = Client().get(f"/my/volunteering/board/{world.tree.community_a.pk}/").content.decode()

    assert MicroWish.objects.get().claimer_name == "周党员"
    assert "王**" in board
    assert "周**" in board
    assert "王邻居" not in board
    assert "周党员" not in board


def test_certificate_page_of_another_communitys_volunteer_is_404(world):
    response = client_for(world.users["secretary_b"]).get(
        f"/console/volunteering/volunteers/{world.volunteers['teacher'].pk}/certificate/")

    assert response.status_code == 404


def _served_150_minutes(world):
    staff, teacher = world.users["secretary_a"], world.volunteers["teacher"]
    request = services.request_service(requester=world.residents["a2"], actor=staff, category="companionship",
                                       description="陪伴聊天")
    services.match_request(request=request, volunteer=teacher, actor=staff)
    done = services.complete_request(request=request, actor=world.users["res_a1"], minutes=150)
    services.confirm_record(record=done.record, actor=staff)
    return teacher


def test_volunteer_and_staff_issue_the_pdf_from_the_certificate_pages(world):
    from gongzhi.volunteering.models import HoursCertificate

    teacher = _served_150_minutes(world)
    own = client_for(world.users["res_a1"])
    page = own.get("/my/volunteering/certificate/").content.decode()

    issued = own.post("/my/volunteering/certificate/", {})
    pdf = own.get(issued["Location"])
    by_staff = client_for(world.users["worker_a"]).post(f"/console/volunteering/volunteers/{teacher.pk}/certificate/")
    by_other = client_for(world.users["secretary_b"]).post(
        f"/console/volunteering/volunteers/{teacher.pk}/certificate/")

    assert "开具带验证码的编号 PDF 证明" in page  # zh-Hans first
    assert issued.status_code == 302
    assert pdf.content.startswith(b"%PDF")
    assert by_staff.status_code == 302
    assert by_other.status_code == 404
    assert list(HoursCertificate.objects.order_by("pk").values_list("issued_by__username", "minutes")) == [
        ("res_a1", 150), ("worker_a", 150)]
