"""照料券: care vouchers issued through the ledger to residents aged 60+, spent at registered providers, never
overdrawn, taken back at year end; statements per resident and per provider; role × scope tries to break it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongzhi.catalog.models import MerchantStaff
from gongzhi.ledger.models import Account, Transaction, VoucherGrant, VoucherRedemption
from gongzhi.ledger.services import proxies, vouchers
from gongzhi.ledger.verify import verify_ledger
from gongzhi.registry.enums import ResidentUnitKind, Tag
from gongzhi.registry.models import ResidentUnit
from gongzhi.registry.services import set_tags
from tests.factories.accounts import make_user
from tests.factories.ledger import make_household_user, undone
from tests.factories.registry import make_household, make_resident

VOUCHERS = "/api/v1/ledger/vouchers"


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + dt.timedelta(days=days)


@pytest.fixture
def care(world):
    """陈爷爷 (70, login res_old, A2); a migrant aged 70 and someone turning 60 tomorrow (A1); a nursing home
    registered as provider in A (login merchant), a shop in B; res_a2 holds a proxy for 刘奶奶 (A1, 86)."""
    tree, secretary = world.tree, world.users["secretary_a"]
    _h, world.residents["old"], world.users["res_old"] = make_household_user(
        tree.buildings["A2-1"], "res_old", name="陈爷爷", birth=years_ago(70))
    migrant = make_resident(make_household(tree.buildings["A1-1"]), name="流动者", birth=years_ago(70))
    set_tags(resident=migrant, tags=[Tag.MIGRANT])
    make_resident(make_household(tree.buildings["A1-1"]), name="差一天", birth=years_ago(60, days=1))
    home = ResidentUnit.objects.create(community=tree.community_a, kind=ResidentUnitKind.MERCHANT, name="颐乐照护中心")
    other = ResidentUnit.objects.create(community=tree.community_b, kind=ResidentUnitKind.MERCHANT, name="斗池家政")
    world.units = {"home": home, "other": other}
    world.users["merchant"] = make_user("merchant")
    MerchantStaff.objects.create(user=world.users["merchant"], unit=home)
    world.users["merchant_b"] = make_user("merchant_b")
    MerchantStaff.objects.create(user=world.users["merchant_b"], unit=other)
    world.providers = {"home": vouchers.register_provider(unit=home, actor=secretary, services="喘息照护、助浴"),
                       "other": vouchers.register_provider(unit=other, actor=world.users["secretary_b"],
                                                           services="居家保洁")}
    proxies.record_proxy(principal=world.residents["elder"], agent=world.residents["a2"], actor=secretary,
                         relation="女儿", consent_method="signed_form", consent_note="授权书 2026-031")
    return world


def issue(api, world, who="secretary_a"):
    return api(world.users[who]).post(f"{VOUCHERS}/issue", {"community": world.tree.community_a.pk,
                                                            "year": timezone.localdate().year})


def test_issue_gives_360_yuan_to_each_registered_resident_aged_60_or_over_once(api, world, care):
    first = issue(api, world)
    again = issue(api, world)
    statement = api(world.users["res_old"]).get(f"{VOUCHERS}/statement").json()

    year = timezone.localdate().year
    assert first.status_code == 200, first.content
    assert first.json() == {"year": year, "issued": 2, "already": 0, "amount_each": 36000}
    assert again.json() == {"year": year, "issued": 0, "already": 2, "amount_each": 36000}
    assert sorted(VoucherGrant.objects.values_list("resident__name", "amount")) == [("刘奶奶", 36000),
                                                                                   ("陈爷爷", 36000)]
    assert (statement["name"], statement["balance"], statement["balance_display"]) == ("陈爷爷", 36000, "¥360.00")
    assert statement["grants"] == [{"year": year, "amount": 36000, "expires_on": f"{year}-12-31",
                                    "expired_amount": 0, "expired": False}]
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in statement["entries"]] == [("voucher", 36000, 36000)]
    assert verify_ledger().ok


def test_spending_pays_the_provider_and_never_overdraws(api, world, care):
    issue(api, world)
    old = api(world.users["res_old"])
    provider = world.providers["home"].pk

    paid = old.post(f"{VOUCHERS}/redemptions", {"provider": provider, "amount": 30000, "service": "喘息照护 3 天",
                                                "idempotency_key": "old-1"})
    repeated = old.post(f"{VOUCHERS}/redemptions", {"provider": provider, "amount": 30000, "service": "喘息照护 3 天",
                                                    "idempotency_key": "old-1"})
    too_much = old.post(f"{VOUCHERS}/redemptions", {"provider": provider, "amount": 6001, "service": "助浴"})
    receipts = api(world.users["merchant"]).get(f"{VOUCHERS}/providers/{provider}/statement").json()

    assert paid.status_code == 201, paid.content
    assert (paid.json()["amount_display"], paid.json()["balance"]) == ("¥300.00", 6000)
    assert repeated.json()["id"] == paid.json()["id"]
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "insufficient_balance"
    assert VoucherRedemption.objects.count() == 1
    assert Account.objects.get(resident=world.residents["old"], currency="voucher").balance == 6000
    assert (receipts["balance"], receipts["balance_display"]) == (30000, "¥300.00")
    assert [(r["resident"], r["amount"], r["service"]) for r in receipts["receipts"]] == [("陈**", 30000,
                                                                                           "喘息照护 3 天")]
    assert verify_ledger().ok


def test_unspent_vouchers_are_taken_back_after_the_year_and_a_new_year_starts_clean(api, world, care):
    issue(api, world)
    old = world.residents["old"]
    vouchers.redeem_vouchers(resident=old, provider=world.providers["home"], amount=10000, service="助浴",
                             actor=world.users["res_old"])
    VoucherGrant.objects.update(expires_on=timezone.localdate() - dt.timedelta(days=1))  # the year has ended

    expired = api(world.users["secretary_a"]).post(f"{VOUCHERS}/expire", {"community": world.tree.community_a.pk})
    again = api(world.users["secretary_a"]).post(f"{VOUCHERS}/expire", {"community": world.tree.community_a.pk})
    late = api(world.users["res_old"]).post(f"{VOUCHERS}/redemptions", {"provider": world.providers["home"].pk,
                                                                        "amount": 100, "service": "助浴"})
    statement = api(world.users["res_old"]).get(f"{VOUCHERS}/statement").json()

    assert expired.json() == {"grants": 2, "amount": 26000 + 36000}
    assert again.json() == {"grants": 0, "amount": 0}
    assert late.status_code == 409
    assert statement["balance"] == 0
    assert statement["grants"][0]["expired_amount"] == 26000
    assert [(e["kind"], e["amount"], e["balance_after"]) for e in statement["entries"]] == [
        ("expiry", -26000, 0), ("redemption", -10000, 26000), ("voucher", 36000, 36000)]
    assert Transaction.objects.filter(kind="expiry").count() == 2
    assert verify_ledger().ok


def test_the_cli_expires_what_is_due_and_is_safe_to_repeat(api, world, care, capsys):
    issue(api, world)
    VoucherGrant.objects.filter(resident=world.residents["old"]).update(expires_on=timezone.localdate()
                                                                        - dt.timedelta(days=1))

    call_command("ledger", "expire-vouchers")
    call_command("ledger", "expire-vouchers")

    out = capsys.readouterr().out
    assert "ledger expire-vouchers: 1 grants ended, 360.00 yuan of vouchers taken back" in out
    assert "ledger expire-vouchers: 0 grants ended, 0.00 yuan of vouchers taken back" in out
    assert Account.objects.get(resident=world.residents["elder"], currency="voucher").balance == 36000


ISSUE_MATRIX = [("admin", 200), ("secretary_a", 200), ("worker_a", 200), ("grid_a1", 403), ("street", 403),
                ("secretary_b", 404), ("res_old", 403), ("merchant", 404)]


def test_issue_role_and_scope_matrix(api, world, care):
    clients = {who: api(world.users[who]) for who, _s in ISSUE_MATRIX}
    for who, status in ISSUE_MATRIX:
        with undone():
            response = clients[who].post(f"{VOUCHERS}/issue", {"community": world.tree.community_a.pk,
                                                               "year": timezone.localdate().year})

            assert (who, response.status_code) == (who, status)
            assert (who, VoucherGrant.objects.count()) == (who, 2 if status == 200 else 0)


REDEEM_MATRIX = [  # who pays for 刘奶奶 (A1, no login) → status
    ("res_a2", 201),  # her daughter, holding a proxy
    ("grid_a1", 201),  # her grid worker, at her door
    ("worker_a", 201),
    ("grid_a2", 404),  # another grid
    ("street", 403),  # reads, does not pay
    ("secretary_b", 404),
    ("res_a1", 403),  # same household, but no proxy: household members do not spend an elder's vouchers
    ("res_old", 404),  # a neighbour
    ("merchant", 404),  # the provider cannot charge a resident by itself
]


def test_redeem_role_and_scope_matrix(api, world, care):
    issue(api, world)
    clients = {who: api(world.users[who]) for who, _s in REDEEM_MATRIX}
    for who, status in REDEEM_MATRIX:
        with undone():
            response = clients[who].post(f"{VOUCHERS}/redemptions", {
                "resident": world.residents["elder"].pk, "provider": world.providers["home"].pk, "amount": 5000,
                "service": "助浴"})

            assert (who, response.status_code) == (who, status)
            balance = Account.objects.get(resident=world.residents["elder"], currency="voucher").balance
            assert (who, balance) == (who, 31000 if status == 201 else 36000)


STATEMENT_MATRIX = [("res_a2", 200), ("grid_a1", 200), ("street", 200), ("grid_a2", 404), ("secretary_b", 404),
                    ("res_a1", 404), ("res_old", 404), ("merchant", 404)]


def test_statement_role_and_scope_matrix(api, world, care):
    issue(api, world)
    for who, status in STATEMENT_MATRIX:
        response = api(world.users[who]).get(f"{VOUCHERS}/statement", resident=world.residents["elder"].pk)

        assert (who, response.status_code) == (who, status)
        assert (who, response.json().get("balance")) == (who, 36000 if status == 200 else None)


def test_provider_receipts_only_for_its_logins_and_managers(api, world, care):
    home = world.providers["home"].pk
    expected = [("merchant", 200), ("secretary_a", 200), ("merchant_b", 404), ("res_old", 404), ("grid_a1", 404),
                ("secretary_b", 404)]
    for who, status in expected:
        response = api(world.users[who]).get(f"{VOUCHERS}/providers/{home}/statement")

        assert (who, response.status_code) == (who, status)


def test_a_provider_of_another_community_or_no_longer_active_is_refused(api, world, care):
    issue(api, world)
    old = api(world.users["res_old"])
    body = {"amount": 1000, "service": "保洁"}

    elsewhere = old.post(f"{VOUCHERS}/redemptions", {**body, "provider": world.providers["other"].pk})
    vouchers.deactivate_provider(provider=world.providers["home"], actor=world.users["secretary_a"])
    inactive = old.post(f"{VOUCHERS}/redemptions", {**body, "provider": world.providers["home"].pk})

    assert (elsewhere.status_code, elsewhere.json()["field"]) == (422, "provider")
    assert (inactive.status_code, inactive.json()["code"]) == (409, "illegal_state")
    assert VoucherRedemption.objects.count() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"amount": 0}, "amount"), ({"amount": 36001}, "amount"), ({"amount": "三百"}, "amount"),
    ({"service": "x"}, "service"),
])
def test_redeem_refuses_bad_input(api, world, care, body, field):
    issue(api, world)
    payload = {"provider": world.providers["home"].pk, "amount": 1000, "service": "助浴", **body}

    response = api(world.users["res_old"]).post(f"{VOUCHERS}/redemptions", payload)

    assert response.status_code == 422
    assert field in response.content.decode()
    assert VoucherRedemption.objects.count() == 0


def test_only_the_current_year_and_eligible_residents_get_vouchers(world, care):
    today = timezone.localdate()

    with pytest.raises(Exception, match="current year"):
        vouchers.issue_voucher(resident=world.residents["old"], year=today.year + 1, actor=None)
    with pytest.raises(Exception, match="aged 60 or over"):
        vouchers.issue_voucher(resident=world.residents["a1"], year=today.year, actor=None)

    assert VoucherGrant.objects.count() == 0


def test_provider_registration_is_for_managers_of_the_units_community(api, world, care):
    unit = ResidentUnit.objects.create(community=world.tree.community_a, kind=ResidentUnitKind.UNIT, name="社区食堂")
    expected = [("grid_a1", 403), ("secretary_b", 404), ("merchant", 404), ("worker_a", 201)]
    for who, status in expected:
        response = api(world.users[who]).post(f"{VOUCHERS}/providers", {"unit": unit.pk, "services": "助餐"})

        assert (who, response.status_code) == (who, status)
    listed = api(world.users["res_old"]).get(f"{VOUCHERS}/providers").json()
    assert [p["name"] for p in listed] == ["颐乐照护中心", "社区食堂"]
