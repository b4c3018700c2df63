import pytest
from django.db import IntegrityError, connection, transaction

from gongzhi.ledger.enums import AccountKind, Currency, TxKind
from gongzhi.ledger.errors import AlreadyReversed, IdempotencyConflict, InsufficientBalance, Unbalanced
from gongzhi.ledger.models import Account, Entry, Transaction
from gongzhi.ledger.services import posting
from gongzhi.ledger.verify import verify_ledger
from tests.factories.ledger import fund_household
from tests.factories.registry import make_household, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


def test_award_moves_points_from_issuance_and_sums_to_zero(tree):
    household = make_household(tree.buildings["A1-1"])

    account = fund_household(household, 30)

    issuance = posting.system_account(tree.community_a, AccountKind.ISSUANCE, Currency.POINTS)
    assert (account.balance, issuance.balance) == (30, -30)
    tx = Transaction.objects.get()
    assert tx.sealed is True
    assert sorted(tx.entries.values_list("amount", flat=True)) == [-30, 30]
    assert verify_ledger().ok


def test_overdraft_of_household_is_refused_and_writes_nothing(tree):
    household = make_household(tree.buildings["A1-1"])
    account = fund_household(household, 10)
    sink = posting.system_account(tree.community_a, AccountKind.SINK, Currency.POINTS)

    with pytest.raises(InsufficientBalance):
        posting.post(community=tree.community_a, kind=TxKind.ORDER, legs=[(account, -11), (sink, 11)], actor=None)

    account.refresh_from_db()
    assert account.balance == 10
    assert Transaction.objects.count() == 1
    assert Entry.objects.count() == 2


def test_unbalanced_legs_are_refused(tree):
    household = make_household(tree.buildings["A1-1"])
    account = posting.household_account(household)
    issuance = posting.system_account(tree.community_a, AccountKind.ISSUANCE, Currency.POINTS)

    with pytest.raises(Unbalanced):
        posting.post(community=tree.community_a, kind=TxKind.AWARD, legs=[(issuance, -5), (account, 6)], actor=None)

    assert Transaction.objects.count() == 0


def test_idempotency_key_returns_first_transaction_and_refuses_other_legs(tree):
    household = make_household(tree.buildings["A1-1"])
    account = posting.household_account(household)
    issuance = posting.system_account(tree.community_a, AccountKind.ISSUANCE, Currency.POINTS)
    legs = [(issuance, -5), (account, 5)]

    first = posting.post(community=tree.community_a, kind=TxKind.AWARD, legs=legs, actor=None, idempotency_key="k1")
    again = posting.post(community=tree.community_a, kind=TxKind.AWARD, legs=legs, actor=None, idempotency_key="k1")
    with pytest.raises(IdempotencyConflict):
        posting.post(community=tree.community_a, kind=TxKind.AWARD, legs=[(issuance, -6), (account, 6)], actor=None,
                     idempotency_key="k1")

    account.refresh_from_db()
    assert again.pk == first.pk
    assert account.balance == 5


def test_reversal_restores_balances_once(tree):
    household = make_household(tree.buildings["A1-1"])
    fund_household(household, 20)
    original = Transaction.objects.get()

    reversal = posting.reverse(original=original, actor=None, memo="录入错误")
    with pytest.raises(AlreadyReversed):
        posting.reverse(original=original, actor=None)

    assert reversal.reverses_id == original.pk
    assert Account.objects.get(household=household).balance == 0
    assert Entry.objects.count() == 4
    assert verify_ledger().ok


def test_database_refuses_to_update_an_entry(tree):
    fund_household(make_household(tree.buildings["A1-1"]), 20)
    entry = Entry.objects.filter(amount=20).get()

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET amount = 2000 WHERE id = %s", [entry.pk])

    assert Entry.objects.get(pk=entry.pk).amount == 20


def test_orm_refuses_to_update_or_delete_entries(tree):
    fund_household(make_household(tree.buildings["A1-1"]), 20)

    with pytest.raises(TypeError):
        Entry.objects.update(amount=1)
    with pytest.raises(TypeError):
        Entry.objects.first().delete()
