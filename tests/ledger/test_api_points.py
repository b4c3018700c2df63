
from gongzhi.ledger.enums import AwardStatus
from gongzhi.ledger.models import Account, PointsAward
from gongzhi.ledger.services import points, shop
from gongzhi.ledger.verify import verify_ledger
from tests.factories.ledger import fund_household, undone

AWARDS = "/api/v1/ledger/awards"


AWARD_MATRIX = [  # (who, whose household, expected status)
    ("admin", "a1", 201),
    ("secretary_a", "a1", 201),
    ("worker_a", "a1", 201),
    ("grid_a1", "a1", 201),
    ("grid_a2", "a1", 404),  # another grid's household is not even visible
    ("grid_a2", "a2", 201),
    ("street", "a1", 403),  # reads the street's registry, awards nothing
    ("secretary_b", "a1", 404),  # another community
    ("res_a1", "a1", 403),  # a household does not award itself
    ("res_a2", "a1", 404),
]


def test_award_role_and_scope_matrix(api, world):
    clients = {username: api(world.users[username]) for username, _h, _s in AWARD_MATRIX}
    for username, household, status in AWARD_MATRIX:
        with undone():
            body = {"household": world.households[household].pk, "item": world.items["P01"].pk,
                    "evidence": "照片 2 张"}

            response = clients[username].post(AWARDS, body)

            expected = 1 if status == 201 else 0
            assert (username, household, response.status_code) == (username, household, status)
            assert (username, PointsAward.objects.count()) == (username, expected)
            assert Account.objects.filter(household=world.households[household], balance=10).count() == expected


def test_award_credits_household_and_appears_in_its_history(api, world):
    staff = api(world.users["grid_a1"])
    award = staff.post(AWARDS, {"household": world.households["a1"].pk, "item": world.items["P01"].pk,
                                "evidence": "护学岗签到表"}).json()

    resident = api(world.users["res_a1"])
    accounts = resident.get("/api/v1/ledger/accounts").json()
    entries = resident.get(f"/api/v1/ledger/accounts/{accounts['items'][0]['id']}/entries").json()

    assert (award["points"], award["points_posted"], award["status"]) == (10, 10, "posted")
    assert [(a["kind"], a["balance"]) for a in accounts["items"]] == [("household", 10)]
    assert [(e["seq"], e["amount"], e["balance_after"], e["kind"], e["memo"]) for e in entries["items"]] == [
        (1, 10, 10, "award", "P01 参加志愿服务")]


def test_award_needs_evidence_when_the_item_says_so(api, world):
    response = api(world.users["secretary_a"]).post(AWARDS, {"household": world.households["a1"].pk,
                                                             "item": world.items["P01"].pk, "evidence": " "})

    assert response.status_code == 422
    assert response.json()["field"] == "evidence"
    assert PointsAward.objects.count() == 0


def test_cap_per_period_refuses_the_award_beyond_it(api, world):
    staff = api(world.users["secretary_a"])
    body = {"household": world.households["a1"].pk, "item": world.items["P01"].pk, "evidence": "签到"}

    statuses = [staff.post(AWARDS, body).status_code for _ in range(3)]
    third = staff.post(AWARDS, body).json()

    assert statuses == [201, 201, 422]
    assert third["code"] == "cap_reached"
    assert Account.objects.get(household=world.households["a1"]).balance == 20


def test_request_key_makes_award_idempotent(api, world):
    staff = api(world.users["secretary_a"])
    body = {"household": world.households["a1"].pk, "item": world.items["P02"].pk, "request_key": "form-7"}

    first, second = staff.post(AWARDS, body).json(), staff.post(AWARDS, body).json()

    assert first["id"] == second["id"]
    assert Account.objects.get(household=world.households["a1"]).balance == 5


def test_deduction_stops_at_zero_and_an_upheld_contest_reverses_it(api, world):
    fund_household(world.households["a1"], 8)
    staff, household = api(world.users["secretary_a"]), api(world.users["res_a1"])

    award = staff.post(AWARDS, {"household": world.households["a1"].pk, "item": world.items["N01"].pk,
                                "evidence": "监控截图"}).json()
    stranger = api(world.users["res_a2"]).post(f"{AWARDS}/{award['id']}/contest", {"reason": "不是我家"})
    contested = household.post(f"{AWARDS}/{award['id']}/contest", {"reason": "当天全家不在家"}).json()
    decided = staff.post(f"{AWARDS}/{award['id']}/decide", {"uphold": True, "note": "核实监控，非本户"}).json()

    assert (award["points"], award["points_posted"]) == (20, 8)
    assert stranger.status_code == 404
    assert contested["status"] == AwardStatus.CONTESTED
    assert decided["status"] == AwardStatus.UPHELD
    assert Account.objects.get(household=world.households["a1"]).balance == 8
    assert verify_ledger().ok


def test_dismissed_contest_keeps_the_deduction_and_cannot_be_contested_again(api, world):
    fund_household(world.households["a1"], 30)
    staff, household = api(world.users["worker_a"]), api(world.users["res_a1"])
    award = staff.post(AWARDS, {"household": world.households["a1"].pk, "item": world.items["N01"].pk,
                                "evidence": "现场照片"}).json()
    household.post(f"{AWARDS}/{award['id']}/contest", {"reason": "有误"})

    by_resident = household.post(f"{AWARDS}/{award['id']}/decide", {"uphold": True, "note": "自己判"})
    dismissed = staff.post(f"{AWARDS}/{award['id']}/decide", {"uphold": False, "note": "证据确凿"}).json()
    again = household.post(f"{AWARDS}/{award['id']}/contest", {"reason": "再申诉"})

    assert by_resident.status_code == 403
    assert dismissed["status"] == AwardStatus.DISMISSED
    assert again.status_code == 409
    assert Account.objects.get(household=world.households["a1"]).balance == 10


def test_positive_award_cannot_be_contested(api, world):
    staff = api(world.users["worker_a"])
    award = staff.post(AWARDS, {"household": world.households["a1"].pk, "item": world.items["P02"].pk}).json()

    response = api(world.users["res_a1"]).post(f"{AWARDS}/{award['id']}/contest", {"reason": "嫌少"})

    assert response.status_code == 409
    assert PointsAward.objects.get().status == AwardStatus.POSTED


def test_reversing_an_award_already_spent_is_refused_and_changes_nothing(api, world):
    staff = api(world.users["secretary_a"])
    award = staff.post(AWARDS, {"household": world.households["a1"].pk, "item": world.items["P01"].pk,
                                "evidence": "照片"}).json()
    item = shop.create_item(community=world.tree.community_a, actor=world.users["secretary_a"], name="洗衣液",
                            currency="points", price=10, stock=1)
    shop.place_order(item=item, resident=world.residents["a1"], actor=world.users["res_a1"])

    response = staff.post(f"{AWARDS}/{award['id']}/reverse", {"reason": "录错户"})

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_balance"
    assert PointsAward.objects.get().status == AwardStatus.POSTED
    assert Account.objects.get(household=world.households["a1"]).balance == 0


def test_item_of_a_superseded_list_cannot_be_awarded(api, world):
    secretary = world.users["secretary_a"]
    draft = points.create_draft(community=world.tree.community_a, actor=secretary)
    points.publish_list(behavior_list=draft, actor=secretary)

    old = api(secretary).post(AWARDS, {"household": world.households["a1"].pk, "item": world.items["P02"].pk})
    new_item = draft.items.get(code="P02")
    new = api(secretary).post(AWARDS, {"household": world.households["a1"].pk, "item": new_item.pk})

    assert old.status_code == 422
    assert old.json()["field"] == "item"
    assert new.status_code == 201


def test_list_draft_edit_and_publish_through_the_api(api, world):
    secretary, resident = api(world.users["secretary_a"]), api(world.users["res_a1"])
    community = world.tree.community_a.pk

    draft = secretary.post("/api/v1/ledger/lists", {"community": community, "note": "居民代表大会通过"}).json()
    added = secretary.post(f"/api/v1/ledger/lists/{draft['id']}/items", {
        "code": "P03", "polarity": "positive", "category": "club", "name": "参加社团活动", "points": 3,
        "evidence_required": False, "cap_points": 12, "cap_period": "month"})
    unbalanced_cap = secretary.post(f"/api/v1/ledger/lists/{draft['id']}/items", {
        "code": "P04", "polarity": "positive", "category": "club", "name": "半个上限", "points": 3,
        "cap_points": 12})
    hidden = resident.get(f"/api/v1/ledger/lists/{draft['id']}")
    by_worker_b = api(world.users["secretary_b"]).post(f"/api/v1/ledger/lists/{draft['id']}/publish")
    published = secretary.post(f"/api/v1/ledger/lists/{draft['id']}/publish").json()
    edit_after = secretary.post(f"/api/v1/ledger/lists/{draft['id']}/items", {
        "code": "P05", "polarity": "positive", "category": "club", "name": "太迟了", "points": 1})
    public = api().get(f"/api/v1/ledger/public/lists/{community}").json()

    assert (draft["version"], draft["status"], len(draft["items"])) == (2, "draft", 3)
    assert added.status_code == 201
    assert unbalanced_cap.status_code == 422
    assert hidden.status_code == 404
    assert by_worker_b.status_code == 404
    assert published["status"] == "published"
    assert edit_after.status_code == 409
    assert public["version"] == 2
    assert sorted(i["code"] for i in public["items"]) == ["N01", "P01", "P02", "P03"]


def test_building_ranking_counts_awards_not_spending(api, world):
    staff = api(world.users["secretary_a"])
    for item, household in (("P01", "a1"), ("P02", "a1"), ("P02", "a2")):
        staff.post(AWARDS, {"household": world.households[household].pk, "item": world.items[item].pk,
                            "evidence": "记录"})

    public = api().get(f"/api/v1/ledger/public/rankings/{world.tree.community_a.pk}").json()
    households = staff.get("/api/v1/ledger/rankings/households",
                           community=world.tree.community_a.pk).json()
    by_resident = api(world.users["res_a1"]).get("/api/v1/ledger/rankings/households",
                                                 community=world.tree.community_a.pk)

    assert [(r["rank"], r["building"], r["households"], r["total"], r["average"]) for r in public] == [
        (1, "A1小区1号楼", 1, 15, 15.0), (2, "A2小区1号楼", 1, 5, 5.0), (3, "A1小区2号楼", 0, 0, 0.0),
        (3, "A2小区2号楼", 0, 0, 0.0)]
    assert [(r["rank"], r["household_id"], r["total"]) for r in households] == [
        (1, world.households["a1"].pk, 15), (2, world.households["a2"].pk, 5)]
    assert by_resident.status_code == 403


def test_accounts_are_scoped(api, world):
    fund_household(world.households["a1"], 1)
    fund_household(world.households["a2"], 2)
    fund_household(world.households["b"], 3)

    def balances(username):
        body = api(world.users[username]).get("/api/v1/ledger/accounts", kind="household").json()
        return sorted(a["balance"] for a in body["items"])

    own = Account.objects.get(household=world.households["a2"])

    assert balances("res_a1") == [1]
    assert balances("grid_a1") == [1]
    assert balances("secretary_a") == [1, 2]
    assert balances("street") == [1, 2, 3]
    assert balances("secretary_b") == [3]
    assert api(world.users["res_a1"]).get(f"/api/v1/ledger/accounts/{own.pk}").status_code == 404
    assert api(world.users["secretary_b"]).get(f"/api/v1/ledger/accounts/{own.pk}/entries").status_code == 404
