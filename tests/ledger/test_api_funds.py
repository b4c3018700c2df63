import pytest
from django.utils import translation
from django.utils.translation import gettext

from gongzhi.ledger.models import Account, FundRecord
from tests.factories.ledger import undone

FUNDS = "/api/v1/ledger/funds"


@pytest.fixture
def fund(api, world):
    return api(world.users["secretary_a"]).post(FUNDS, {
        "community": world.tree.community_a.pk, "name": "军门阳光基金", "purpose": "sunshine",
        "soft_floor": 50_000}).json()


def test_recording_a_donation_matrix(api, world, fund):
    matrix = [("admin", 201), ("secretary_a", 201), ("worker_a", 201), ("grid_a1", 403), ("secretary_b", 404),
              ("res_a1", 403)]  # res_a1 sees the public fund, records nothing
    clients = {username: api(world.users[username]) for username, _s in matrix}
    for username, status in matrix:
        with undone():
            response = clients[username].post(f"{FUNDS}/{fund['id']}/records", {
                "kind": "donation", "amount": 100_00, "purpose": "捐助", "counterparty": "王大伯"})

            assert (username, response.status_code) == (username, status)
            assert (username, FundRecord.objects.count()) == (username, 1 if status == 201 else 0)


def test_public_statement_shows_every_yuan_and_masks_private_donors(api, world, fund):
    staff = api(world.users["secretary_a"])
    records = f"{FUNDS}/{fund['id']}/records"
    staff.post(records, {"kind": "donation", "amount": 500_00, "purpose": "重阳节慰问", "counterparty": "欧阳小明",
                         "counterparty_is_person": True, "receipt_no": "JM-2024-001"})
    staff.post(records, {"kind": "grant", "amount": 2000_00, "purpose": "街道拨款", "counterparty": "东街街道"})
    staff.post(records, {"kind": "donation", "amount": 88_00, "purpose": "爱心", "counterparty": "李四",
                         "counterparty_is_person": True, "anonymous": True})
    spent = staff.post(records, {"kind": "spending", "amount": 2100_00, "purpose": "困难家庭慰问品",
                                 "counterparty": "永辉超市", "project": "重阳敬老"}).json()

    public = api().get(f"/api/v1/ledger/public/funds/{world.tree.community_a.pk}").json()

    with translation.override("zh-hans"):  # requests without Accept-Language are answered in Chinese
        anonymous = gettext("anonymous")
        warning = gettext("%(account)s is below its warning level of %(level)s.") % {
            "account": "军门阳光基金", "level": "¥500.00"}
    statement = public[0]
    assert (statement["money_in"], statement["money_out"], statement["closing"]) == (258800, 210000, 48800)
    assert [(line["counterparty"], line["signed"]) for line in statement["lines"]] == [
        ("欧***", 50000), ("东街街道", 200000), (anonymous, 8800), ("永辉超市", -210000)]
    assert statement["head_hash"] == Account.objects.get(pk=fund["id"]).head_hash
    assert spent["warnings"] == [warning]
    assert "欧阳小明" not in str(public)


def test_spending_more_than_the_fund_holds_is_refused(api, world, fund):
    staff = api(world.users["secretary_a"])
    staff.post(f"{FUNDS}/{fund['id']}/records", {"kind": "donation", "amount": 100, "purpose": "捐助"})

    response = staff.post(f"{FUNDS}/{fund['id']}/records", {"kind": "spending", "amount": 101, "purpose": "采购"})

    assert (response.status_code, response.json()["code"]) == (409, "insufficient_balance")
    assert Account.objects.get(pk=fund["id"]).balance == 100
    assert FundRecord.objects.count() == 1


def test_allocation_moves_money_between_funds_of_one_community(api, world, fund):
    staff = api(world.users["secretary_a"])
    project = staff.post(FUNDS, {"community": world.tree.community_a.pk, "name": "加装电梯项目预算",
                                 "purpose": "project", "project": "3号楼加装电梯"}).json()
    other = api(world.users["secretary_b"]).post(FUNDS, {"community": world.tree.community_b.pk,
                                                          "name": "斗池基金"}).json()
    staff.post(f"{FUNDS}/{fund['id']}/records", {"kind": "donation", "amount": 1000_00, "purpose": "捐助"})

    moved = staff.post(f"{FUNDS}/{fund['id']}/records", {"kind": "allocation", "amount": 300_00, "purpose": "拨付项目",
                                                         "other_fund": project["id"]})
    across = staff.post(f"{FUNDS}/{fund['id']}/records", {"kind": "allocation", "amount": 1, "purpose": "跨社区",
                                                          "other_fund": other["id"]})

    assert moved.status_code == 201
    assert across.status_code == 404
    assert Account.objects.get(pk=project["id"]).balance == 300_00
    assert Account.objects.get(pk=fund["id"]).balance == 700_00


def test_private_fund_is_not_on_the_public_page(api, world):
    api(world.users["secretary_a"]).post(FUNDS, {"community": world.tree.community_a.pk, "name": "内部备用金",
                                                 "is_public": False})

    assert api().get(f"/api/v1/ledger/public/funds/{world.tree.community_a.pk}").json() == []
    assert api(world.users["res_a1"]).get(FUNDS).json() == []
