"""Tamper detection: ``gongzhi ledger verify`` exits non-zero and names the account and entry."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from gongzhi.ledger.models import Account, Entry
from gongzhi.ledger.services import posting
from tests.factories.ledger import fund_household, undone
from tests.factories.registry import make_household, make_tree

pytestmark = pytest.mark.django_db


def _verify() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ledger", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _verify_fails() -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="problem"):
        call_command("ledger", "verify", stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def _bypass_entry_triggers(cursor) -> None:
    """What an intruder with database access does first. Rolled back with the test."""
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the pending deferred checks first
        cursor.execute("ALTER TABLE ledger_entry DISABLE TRIGGER USER")
    else:
        cursor.execute("DROP TRIGGER ledger_entry_no_update")


@pytest.fixture
def book():
    tree = make_tree()
    household = make_household(tree.buildings["A1-1"])
    account = fund_household(household, 50)
    fund_household(household, 20)
    sink = posting.system_account(tree.community_a, "sink", "points")
    posting.post(community=tree.community_a, kind="order", legs=[(account, -30), (sink, 30)], actor=None)
    account.refresh_from_db()
    return account


def test_intact_book_verifies(book):
    out, err = _verify()

    assert out.startswith("ledger verify: OK; 3 accounts, 6 entries, 3 transactions")
    assert err == ""


def test_changed_amount_is_detected_and_named(book):
    entry, following = Entry.objects.filter(account=book, seq__in=[2, 3]).order_by("seq")
    with connection.cursor() as cursor:
        _bypass_entry_triggers(cursor)
        cursor.execute("UPDATE ledger_entry SET amount = 200, balance_after = 250 WHERE id = %s", [entry.pk])

    err = _verify_fails()

    assert f"TAMPERED account {book.pk}, entry {entry.pk} (seq 2): hash mismatch" in err
    assert f"account {book.pk}, entry {following.pk} (seq 3): balance after is 40, the entries add up to 220" in err
    assert f"transaction {entry.transaction_id}: entries in points sum to 180, not zero" in err
    assert str(book.household) in err


def test_rewritten_chain_without_the_head_is_detected(book):
    """Even recomputing the entry's own hash does not help: the next entry's link breaks."""
    from gongzhi.ledger.chain import entry_hash

    entry = Entry.objects.select_related("transaction").get(account=book, seq=1)
    forged = entry_hash(prev_hash=entry.prev_hash, account_id=book.pk, seq=1, transaction_id=entry.transaction_id,
                        tx_kind=entry.transaction.kind, idempotency_key=entry.transaction.idempotency_key,
                        currency="points", amount=500, balance_after=500, created_at=entry.created_at)
    with connection.cursor() as cursor:
        _bypass_entry_triggers(cursor)
        cursor.execute("UPDATE ledger_entry SET amount = 500, balance_after = 500, hash = %s WHERE id = %s",
                       [forged, entry.pk])

    err = _verify_fails()

    assert "(seq 1): hash" not in err
    assert "(seq 2): previous-hash link broken" in err


def test_edited_balance_is_detected(book):
    Account.objects.filter(pk=book.pk).update(balance=9999)

    err = _verify_fails()

    assert f"account {book.pk}: stored balance 9999 differs from the entries' sum 40" in err


def test_deleted_newest_entry_is_detected(book):
    newest = Entry.objects.get(account=book, seq=3)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _bypass_entry_triggers(cursor)
        cursor.execute("DELETE FROM ledger_entry WHERE id = %s", [newest.pk])

    err = _verify_fails()

    assert f"account {book.pk}: head hash differs" in err
    assert f"transaction {newest.transaction_id}: entries in points sum to 30, not zero" in err


def test_forged_one_sided_entry_is_detected(book):
    """A credit inserted by hand with no counter-entry: its transaction cannot be sealed; verify says so, and
    PostgreSQL refuses to commit it at all (the deferred check)."""
    with undone():  # the forged rows go again at the end, so the test database stays committable
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ledger_transaction (community_id, kind, memo, idempotency_key, created_at, sealed,"
                " warnings) VALUES (%s, 'award', '', 'forged', %s, %s, '[]')",
                [book.community_id, "2024-01-01 00:00:00+00:00", False])
            cursor.execute("SELECT id FROM ledger_transaction WHERE idempotency_key = 'forged'")
            tx_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO ledger_entry (transaction_id, account_id, currency, amount, balance_after, seq,"
                " created_at, prev_hash, hash) VALUES (%s, %s, 'points', 1000, 1040, 4, %s, %s, %s)",
                [tx_id, book.pk, "2024-01-01 00:00:00+00:00", book.head_hash, "f" * 64])

        err = _verify_fails()

        assert f"transaction {tx_id}: entries in points sum to 1000, not zero" in err
        assert f"transaction {tx_id}: not sealed" in err
        assert "(seq 4): hash mismatch" in err
        if connection.vendor == "postgresql":
            with pytest.raises(IntegrityError, match="was not sealed"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
