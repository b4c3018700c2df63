"""志愿服务时长证明 as PDF: issued to the volunteer or staff in scope, verifiable by its code, 404 for others."""

import io

import pypdf
import pytest
from django.utils import timezone

from gongzhi.core.models import AuditEvent
from gongzhi.volunteering import services
from gongzhi.volunteering.models import HoursCertificate, ServiceRecord
from tests.factories.ledger import undone

V = "/api/v1/volunteering"


@pytest.fixture
def served(world):
    """The teacher served 150 minutes (confirmed) and 30 minutes (still pending)."""
    teacher, staff = world.volunteers["teacher"], world.users["secretary_a"]
    for minutes in (150, 30):
        request = services.request_service(requester=world.residents["a2"], actor=staff, category="companionship",
                                           description="陪伴聊天")
        services.match_request(request=request, volunteer=teacher, actor=staff)
        services.complete_request(request=request, actor=world.users["res_a1"], minutes=minutes)
    services.confirm_record(record=ServiceRecord.objects.get(minutes=150), actor=staff)
    return teacher


def pdf_text(content: bytes) -> str:
    """The PDF's text with line breaks removed (the certificate wraps long lines anywhere)."""
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages).replace("\n", "")


def test_volunteer_gets_a_pdf_with_the_confirmed_hours_and_anyone_can_verify_it(api, world, served):
    me = api(world.users["res_a1"])

    issued = me.post(f"{V}/volunteers/{served.pk}/certificates", {})
    body = issued.json()
    pdf = me.get(body["pdf_url"])
    text = pdf_text(pdf.content)
    check = api().get(f"{V}/public/certificates/{body['verification_code'].lower()}").json()
    forged = api().get(f"{V}/public/certificates/ABCDEFGHJK").json()

    year = timezone.localdate().year
    assert issued.status_code == 201, issued.content
    assert (body["minutes"], body["hours"], body["records"]) == (150, "2.5", 1)
    assert body["number"] == f"ZY{world.tree.community_a.pk:04d}{year}000001"
    assert body["verify_url"].endswith(f"/api/v1/volunteering/public/certificates/{body['verification_code']}")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "志愿服务时长证明" in text
    assert "服务时长2.5小时（150分钟）" in text
    assert "张自己" in text
    assert body["verification_code"] in text
    assert (check["status"], check["number"], check["hours_unchanged"]) == ("valid", body["number"], True)
    assert check["content"]["name"] == "张**"
    assert (check["content"]["hours"], check["content"]["records"]) == ("2.5", 1)
    assert (forged["status"], forged["content"]) == ("unknown", None)
    assert AuditEvent.objects.filter(target_type="volunteering.hourscertificate").count() == 1


def test_verification_says_when_hours_changed_after_issue(api, world, served):
    body = api(world.users["res_a1"]).post(f"{V}/volunteers/{served.pk}/certificates", {}).json()
    services.confirm_record(record=ServiceRecord.objects.get(minutes=30), actor=world.users["secretary_a"])

    check = api().get(f"{V}/public/certificates/{body['verification_code']}").json()

    assert (check["status"], check["hours_unchanged"]) == ("valid", False)


ISSUE_MATRIX = [  # who asks for the teacher's (张自己, A1) certificate → status
    ("res_a1", 201),  # the volunteer herself
    ("secretary_a", 201),
    ("worker_a", 201),
    ("grid_a1", 201),
    ("grid_a2", 404),  # another grid: the volunteer is not even visible
    ("street", 403),  # reads the street's volunteers, certifies nothing
    ("secretary_b", 404),  # another community
    ("res_a2", 404),  # a neighbour
    ("nobody", 404),
]


def test_issue_role_and_scope_matrix(api, world, served):
    clients = {who: api(world.users[who]) for who, _status in ISSUE_MATRIX}
    for who, status in ISSUE_MATRIX:
        with undone():
            response = clients[who].post(f"{V}/volunteers/{served.pk}/certificates", {})

            assert (who, response.status_code) == (who, status)
            assert (who, HoursCertificate.objects.count()) == (who, 1 if status == 201 else 0)


PDF_MATRIX = [("res_a1", 200), ("worker_a", 200), ("grid_a1", 200), ("grid_a2", 404), ("street", 404),
              ("secretary_b", 404), ("res_a2", 404), ("nobody", 404)]


def test_pdf_only_for_the_volunteer_and_staff_in_scope(api, world, served):
    body = api(world.users["secretary_a"]).post(f"{V}/volunteers/{served.pk}/certificates", {}).json()
    for who, status in PDF_MATRIX:
        response = api(world.users[who]).get(f"{V}/certificates/{body['id']}/pdf")

        assert (who, response.status_code) == (who, status)
        assert (who, response.content.startswith(b"%PDF")) == (who, status == 200)


@pytest.mark.parametrize(("year", "field"), [(1999, "year"), (timezone.now().year + 1, "year")])
def test_issue_refuses_a_year_out_of_range(api, world, served, year, field):
    response = api(world.users["res_a1"]).post(f"{V}/volunteers/{served.pk}/certificates", {"year": year})

    assert response.status_code == 422
    assert response.json()["field"] == field
    assert HoursCertificate.objects.count() == 0


def test_no_certificate_without_confirmed_hours(api, world):
    response = api(world.users["res_a2"]).post(f"{V}/volunteers/{world.volunteers['neighbour'].pk}/certificates", {})

    assert response.status_code == 422
    assert response.json()["detail"] == "没有可证明的已确认服务时长。"  # zh-Hans first
