"""Concurrent writers in threads, on the test database itself: runs on PostgreSQL (CI) and on a file SQLite.

The default in-memory SQLite test database is one shared-cache connection pool without busy waiting, so
there this module skips; test_race_processes.py covers SQLite with real processes.
"""

import threading

import pytest
from django.db import connection

from gongzhi.ledger.enums import AccountKind, Currency, TxKind
from gongzhi.ledger.errors import InsufficientBalance
from gongzhi.ledger.models import Account, ShopItem, ShopOrder
from gongzhi.ledger.services import posting, shop
from gongzhi.ledger.verify import verify_ledger
from tests.factories.accounts import make_user
from tests.factories.ledger import fund_household
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need PostgreSQL or a file SQLite; see test_race_processes.py")


def _race(n: int, attempt):
    """Run ``attempt(i)`` in ``n`` threads released together; return their outcomes."""
    barrier = threading.Barrier(n)
    outcomes: list = [None] * n

    def run(i):
        try:
            barrier.wait(timeout=30)
            outcomes[i] = attempt(i)
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def test_twenty_threads_spending_from_one_household_never_overdraw():
    tree = make_tree()
    account = fund_household(make_household(tree.buildings["A1-1"]), 100)
    sink = posting.system_account(tree.community_a, AccountKind.SINK, Currency.POINTS)

    def spend(_i):
        try:
            posting.post(community=tree.community_a, kind=TxKind.ORDER, legs=[(account, -10), (sink, 10)],
                         actor=None)
            return "ok"
        except InsufficientBalance:
            return "refused"

    outcomes = _race(20, spend)

    assert sorted(map(str, outcomes)) == ["ok"] * 10 + ["refused"] * 10
    assert Account.objects.get(pk=account.pk).balance == 0
    assert Account.objects.get(pk=sink.pk).balance == 100
    assert verify_ledger().ok


def test_fifty_threads_racing_for_the_last_ten_items_buy_exactly_ten():
    tree = make_tree()
    staff = make_user("shop-staff")
    residents = []
    for i in range(50):
        household = make_household(tree.buildings["A1-2"])
        residents.append(make_resident(household, name=f"居民{i}"))
        fund_household(household, 100)
    item = shop.create_item(community=tree.community_a, actor=staff, name="环保袋", currency=Currency.POINTS,
                            price=30, stock=10)

    def buy(i):
        try:
            shop.place_order(item=item, resident=residents[i], actor=staff)
            return "ok"
        except shop.OutOfStock:
            return "sold out"

    outcomes = _race(50, buy)

    assert sorted(map(str, outcomes)) == ["ok"] * 10 + ["sold out"] * 40
    assert ShopItem.objects.get(pk=item.pk).stock == 0
    assert ShopOrder.objects.count() == 10
    clearing = posting.system_account(tree.community_a, AccountKind.CLEARING, Currency.POINTS)
    assert Account.objects.get(pk=clearing.pk).balance == 300
    assert sorted(Account.objects.filter(kind=AccountKind.HOUSEHOLD).values_list("balance", flat=True)) == \
        [70] * 10 + [100] * 40
    assert verify_ledger().ok


def test_sixteen_threads_spending_one_elders_care_vouchers_never_overdraw():
    from django.utils import timezone

    from gongzhi.ledger.models import VoucherRedemption
    from gongzhi.ledger.services import vouchers
    from gongzhi.registry.enums import ResidentUnitKind
    from gongzhi.registry.models import ResidentUnit

    tree = make_tree()
    staff = make_user("care-staff")
    elder = make_resident(make_household(tree.buildings["A1-1"]), name="高龄", birth=timezone.localdate().replace(
        year=timezone.localdate().year - 80))
    vouchers.issue_voucher(resident=elder, year=timezone.localdate().year, actor=staff)
    unit = ResidentUnit.objects.create(community=tree.community_a, kind=ResidentUnitKind.MERCHANT, name="照护站")
    provider = vouchers.register_provider(unit=unit, actor=staff, services="助浴")

    def spend(i):
        try:
            vouchers.redeem_vouchers(resident=elder, provider=provider, amount=4_000, service="助浴", actor=staff,
                                     idempotency_key=f"race-{i}")
            return "ok"
        except InsufficientBalance:
            return "refused"

    outcomes = _race(16, spend)

    assert sorted(map(str, outcomes)) == ["ok"] * 9 + ["refused"] * 7  # 9 × 40 yuan = 360 yuan
    assert Account.objects.get(resident=elder, currency=Currency.VOUCHER).balance == 0
    assert Account.objects.get(unit=unit, currency=Currency.VOUCHER).balance == 36_000
    assert VoucherRedemption.objects.count() == 9
    assert verify_ledger().ok
