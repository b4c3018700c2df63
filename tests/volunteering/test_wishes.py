import pytest

from gongzhi.volunteering.models import MicroWish

V = "/api/v1/volunteering"


@pytest.fixture
def wish(api, world):
    response = api(world.users["worker_a"]).post(f"{V}/wishes", {
        "beneficiary": world.residents["elder"].pk, "title": "想要一台收音机", "description": "听戏曲"})
    assert response.status_code == 201, response.content
    return response.json()


def test_party_member_claims_fulfils_and_the_family_confirms(api, world, wish):
    member, daughter = api(world.users["res_party"]), api(world.users["res_a1"])

    not_a_member = api(world.users["res_a2"]).post(f"{V}/wishes/{wish['id']}/claim")
    claimed = member.post(f"{V}/wishes/{wish['id']}/claim").json()
    second = api(world.users["res_inservice"]).post(f"{V}/wishes/{wish['id']}/claim")
    by_other = daughter.post(f"{V}/wishes/{wish['id']}/fulfil", {"note": "我自己买了"})
    fulfilled = member.post(f"{V}/wishes/{wish['id']}/fulfil", {"note": "已送上门并教会使用"}).json()
    confirmed = daughter.post(f"{V}/wishes/{wish['id']}/confirm").json()

    assert not_a_member.status_code == 403
    assert (claimed["status"], claimed["claimer"]) == ("claimed", "周**")
    assert (second.status_code, second.json()["code"]) == (409, "taken")
    assert by_other.status_code == 403
    assert fulfilled["status"] == "fulfilled"
    assert (confirmed["status"], confirmed["beneficiary"]) == ("confirmed", "刘奶奶")


def test_in_service_party_member_may_claim(api, world, wish):
    claimed = api(world.users["res_inservice"]).post(f"{V}/wishes/{wish['id']}/claim").json()

    assert (claimed["status"], MicroWish.objects.get().claimer_name) == ("claimed", "吴在职")


def test_public_board_masks_names_and_needs_no_login(api, world, wish):
    api(world.users["res_party"]).post(f"{V}/wishes/{wish['id']}/claim")

    board = api().get(f"{V}/public/wishes/{world.tree.community_a.pk}").json()
    other = api().get(f"{V}/public/wishes/{world.tree.community_b.pk}").json()

    assert [(w["beneficiary"], w["title"], w["status"], w["claimer"], w["description"]) for w in board] == [
        ("刘**", "想要一台收音机", "claimed", "周**", "")]
    assert other == []
    assert "刘奶奶" not in str(board)


def test_residents_see_their_communitys_wishes_masked_and_outsiders_see_none(api, world, wish):
    neighbour = api(world.users["res_a2"]).get(f"{V}/wishes").json()
    outsider = api(world.users["res_b"]).get(f"{V}/wishes").json()
    staff_b = api(world.users["secretary_b"]).post(f"{V}/wishes/{wish['id']}/cancel")

    assert [w["beneficiary"] for w in neighbour["items"]] == ["刘**"]
    assert outsider["count"] == 0
    assert staff_b.status_code == 404


def test_resident_posts_own_wish_but_not_for_a_stranger(api, world):
    own = api(world.users["res_a2"]).post(f"{V}/wishes", {"title": "希望有人教用智能手机"})
    for_stranger = api(world.users["res_a2"]).post(f"{V}/wishes", {"beneficiary": world.residents["b"].pk,
                                                                    "title": "代别人许愿"})

    assert own.status_code == 201
    assert for_stranger.status_code == 404
    assert MicroWish.objects.count() == 1
