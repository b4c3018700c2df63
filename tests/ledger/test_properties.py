"""Property: any sequence of transfers keeps every currency summing to zero and no hard-limited account below
its floor; refused transfers change nothing; the book always verifies."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongzhi.ledger.enums import AccountKind, Currency, TxKind
from gongzhi.ledger.errors import InsufficientBalance, Unbalanced
from gongzhi.ledger.models import Account
from gongzhi.ledger.services import posting
from gongzhi.ledger.verify import verify_ledger
from tests.factories.registry import make_household, make_resident, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts():
    tree = make_tree()
    community = tree.community_a
    households = [make_household(tree.buildings[b]) for b in ("A1-1", "A1-2", "A2-1")]
    residents = [make_resident(households[0], name="甲"), make_resident(households[1], name="乙")]
    return [
        posting.system_account(community, AccountKind.ISSUANCE, Currency.POINTS),
        posting.system_account(community, AccountKind.SINK, Currency.POINTS),
        *[posting.household_account(h) for h in households],
        posting.system_account(community, AccountKind.ISSUANCE, Currency.TIME),
        *[posting.resident_account(r) for r in residents],
    ]


transfers = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(1, 120)), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=transfers)
def test_random_transfers_keep_the_book_sound(accounts, moves):
    model = {a.pk: Account.objects.get(pk=a.pk).balance for a in accounts}
    for source_i, target_i, amount in moves:
        source, target = accounts[source_i], accounts[target_i]
        if source.pk == target.pk:
            continue
        legs = [(source, -amount), (target, amount)]
        if source.currency != target.currency:
            with pytest.raises(Unbalanced):
                posting.post(community=source.community, kind=TxKind.TRANSFER, legs=legs, actor=None)
            continue
        fresh = Account.objects.get(pk=source.pk)
        if fresh.floor is not None and model[source.pk] - amount < fresh.floor:
            with pytest.raises(InsufficientBalance):
                posting.post(community=source.community, kind=TxKind.TRANSFER, legs=legs, actor=None)
            continue
        posting.post(community=source.community, kind=TxKind.TRANSFER, legs=legs, actor=None)
        model[source.pk] -= amount
        model[target.pk] += amount

    stored = {a.pk: a.balance for a in Account.objects.filter(pk__in=model)}
    assert stored == model
    for currency in (Currency.POINTS, Currency.TIME):
        assert sum(a.balance for a in Account.objects.filter(currency=currency)) == 0
    assert not Account.objects.filter(floor__isnull=False, balance__lt=0).exists()
    assert verify_ledger().ok
