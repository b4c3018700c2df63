import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.ledger.models import Account
from gongzhi.volunteering.models import Activity, ServiceRecord
from tests.factories.ledger import undone

V = "/api/v1/volunteering"


@pytest.fixture
def activity(api, world):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    body = {"community": world.tree.community_a.pk, "title": "重阳节敬老义诊", "location": "社区广场",
            "starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "capacity": 1}
    response = api(world.users["worker_a"]).post(f"{V}/activities", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_creating_activities_matrix(api, world):
    matrix = [("admin", 201), ("secretary_a", 201), ("worker_a", 201), ("grid_a1", 403), ("street", 403),
              ("secretary_b", 404), ("res_a1", 403)]
    clients = {username: api(world.users[username]) for username, _s in matrix}
    start = timezone.now() + dt.timedelta(days=1)
    body = {"community": world.tree.community_a.pk, "title": "楼道清洁日", "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(hours=2)).isoformat(), "capacity": 10}
    for username, status in matrix:
        with undone():
            response = clients[username].post(f"{V}/activities", body)

            assert (username, response.status_code) == (username, status)
            assert (username, Activity.objects.count()) == (username, 1 if status == 201 else 0)


def test_attendance_minutes_are_paid_only_after_staff_confirm(api, world, activity):
    teacher, staff = api(world.users["res_a1"]), api(world.users["grid_a1"])
    signup = teacher.post(f"{V}/activities/{activity['id']}/signups").json()
    start = dt.datetime.fromisoformat(activity["starts_at"])

    teacher.post(f"{V}/signups/{signup['id']}/check-in", {"at": (start - dt.timedelta(minutes=10)).isoformat()})
    out = teacher.post(f"{V}/signups/{signup['id']}/check-out",
                       {"at": (start + dt.timedelta(minutes=95)).isoformat()}).json()
    self_confirm = teacher.post(f"{V}/records/{out['record_id']}/confirm", {})
    neighbour = api(world.users["res_a2"]).post(f"{V}/records/{out['record_id']}/confirm", {})
    unpaid = Account.objects.get(resident=world.residents["a1"]).balance
    confirmed = staff.post(f"{V}/records/{out['record_id']}/confirm", {}).json()

    assert (out["status"], out["minutes"]) == ("checked_out", 95)  # counted from the start, not the early check-in
    assert (self_confirm.status_code, neighbour.status_code, unpaid) == (403, 404, 0)
    assert confirmed["status"] == "confirmed"
    assert Account.objects.get(resident=world.residents["a1"]).balance == 95


def test_full_activity_refuses_another_volunteer(api, world, activity):
    api(world.users["res_a1"]).post(f"{V}/activities/{activity['id']}/signups")

    response = api(world.users["res_a2"]).post(f"{V}/activities/{activity['id']}/signups")

    assert (response.status_code, response.json()["code"]) == (409, "full")


def test_non_volunteer_cannot_sign_up_and_other_community_cannot_see(api, world, activity):
    party_member = api(world.users["res_party"]).post(f"{V}/activities/{activity['id']}/signups")
    outsider = api(world.users["res_b"]).post(f"{V}/activities/{activity['id']}/signups")

    assert party_member.status_code == 403
    assert outsider.status_code == 404


def test_rejected_record_pays_nothing(api, world, activity):
    teacher, staff = api(world.users["res_a1"]), api(world.users["secretary_a"])
    signup = teacher.post(f"{V}/activities/{activity['id']}/signups").json()
    teacher.post(f"{V}/signups/{signup['id']}/check-in", {})
    out = teacher.post(f"{V}/signups/{signup['id']}/check-out",
                       {"at": (timezone.now() + dt.timedelta(minutes=20)).isoformat()}).json()

    rejected = staff.post(f"{V}/records/{out['record_id']}/reject", {"note": "未实际到岗"}).json()
    later = staff.post(f"{V}/records/{out['record_id']}/confirm", {})

    assert rejected["status"] == "rejected"
    assert later.status_code == 409
    assert Account.objects.get(resident=world.residents["a1"]).balance == 0


def test_certificate_counts_confirmed_hours_only(api, world):
    from gongzhi.volunteering import services

    teacher = world.volunteers["teacher"]
    staff = world.users["secretary_a"]
    for minutes in (90, 30):
        request = services.request_service(requester=world.residents["a2"], actor=staff, category="companionship",
                                           description="陪伴聊天")
        services.match_request(request=request, volunteer=teacher, actor=staff)
        services.complete_request(request=request, actor=world.users["res_a1"], minutes=minutes)
    services.confirm_record(record=ServiceRecord.objects.get(minutes=90), actor=staff)

    own = api(world.users["res_a1"]).get(f"{V}/volunteers/{teacher.pk}/certificate").json()
    by_staff = api(world.users["worker_a"]).get(f"{V}/volunteers/{teacher.pk}/certificate")
    by_neighbour = api(world.users["res_a2"]).get(f"{V}/volunteers/{teacher.pk}/certificate")

    assert (own["name"], own["minutes"], own["hours"], own["records"]) == ("张自己", 90, 1.5, 1)
    assert len(own["serial"]) == 16
    assert by_staff.json()["serial"] == own["serial"]
    assert by_neighbour.status_code == 404
