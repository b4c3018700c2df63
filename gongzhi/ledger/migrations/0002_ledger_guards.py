"""Database-level guards of the book, so that no code path (ours, a shell, a bad script) can bend it.

Both databases:
  * an entry cannot be updated;
  * an entry can only be added to a transaction that is not sealed, in its account's currency;
  * a transaction can be sealed only when its entries sum to zero per currency and there are at least two;
  * a sealed transaction cannot change.
PostgreSQL also:
  * entries and transactions cannot be deleted (TRUNCATE, a deliberate administrator's act, still works);
  * at commit, every new entry's transaction must be sealed (a deferred constraint trigger), so an
    unbalanced transaction can never be committed even by raw SQL that skips sealing.
SQLite has no deferred triggers; ``gongzhi ledger verify`` reports unsealed transactions and deleted
entries (gaps in an account's chain) there.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
       BEGIN SELECT RAISE(ABORT, 'ledger: entries are immutable; post a reversal'); END""",
    """CREATE TRIGGER ledger_entry_insert_guard BEFORE INSERT ON ledger_entry
       BEGIN
         SELECT RAISE(ABORT, 'ledger: the transaction is sealed')
          WHERE (SELECT sealed FROM ledger_transaction WHERE id = NEW.transaction_id);
         SELECT RAISE(ABORT, 'ledger: entry currency differs from the account currency')
          WHERE NEW.currency IS NOT (SELECT currency FROM ledger_account WHERE id = NEW.account_id);
       END""",
    """CREATE TRIGGER ledger_transaction_guard BEFORE UPDATE ON ledger_transaction
       BEGIN
         SELECT RAISE(ABORT, 'ledger: a sealed transaction cannot change') WHERE OLD.sealed;
         SELECT RAISE(ABORT, 'ledger: entries must sum to zero per currency')
          WHERE NEW.sealed AND EXISTS (SELECT 1 FROM ledger_entry WHERE transaction_id = NEW.id
                                       GROUP BY currency HAVING SUM(amount) <> 0);
         SELECT RAISE(ABORT, 'ledger: a transaction needs at least two entries')
          WHERE NEW.sealed AND (SELECT COUNT(*) FROM ledger_entry WHERE transaction_id = NEW.id) < 2;
       END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS ledger_entry_no_update", "DROP TRIGGER IF EXISTS ledger_entry_insert_guard",
               "DROP TRIGGER IF EXISTS ledger_transaction_guard"]

POSTGRES = [
    """CREATE FUNCTION ledger_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP <> 'INSERT' THEN
           RAISE EXCEPTION 'ledger: entries are immutable; post a reversal' USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         IF (SELECT sealed FROM ledger_transaction WHERE id = NEW.transaction_id) THEN
           RAISE EXCEPTION 'ledger: the transaction is sealed' USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         IF NEW.currency IS DISTINCT FROM (SELECT currency FROM ledger_account WHERE id = NEW.account_id) THEN
           RAISE EXCEPTION 'ledger: entry currency differs from the account currency' USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON ledger_entry
       FOR EACH ROW EXECUTE FUNCTION ledger_entry_guard()""",
    """CREATE FUNCTION ledger_transaction_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           RAISE EXCEPTION 'ledger: transactions cannot be deleted; post a reversal' USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         IF OLD.sealed THEN
           RAISE EXCEPTION 'ledger: a sealed transaction cannot change' USING ERRCODE = 'integrity_constraint_violation';
         END IF;
         IF NEW.sealed THEN
           IF EXISTS (SELECT 1 FROM ledger_entry WHERE transaction_id = NEW.id
                      GROUP BY currency HAVING SUM(amount) <> 0) THEN
             RAISE EXCEPTION 'ledger: entries must sum to zero per currency' USING ERRCODE = 'integrity_constraint_violation';
           END IF;
           IF (SELECT COUNT(*) FROM ledger_entry WHERE transaction_id = NEW.id) < 2 THEN
             RAISE EXCEPTION 'ledger: a transaction needs at least two entries' USING ERRCODE = 'integrity_constraint_violation';
           END IF;
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER ledger_transaction_guard BEFORE UPDATE OR DELETE ON ledger_transaction
       FOR EACH ROW EXECUTE FUNCTION ledger_transaction_guard()""",
    """CREATE FUNCTION ledger_entry_sealed_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NOT (SELECT sealed FROM ledger_transaction WHERE id = NEW.transaction_id) THEN
           RAISE EXCEPTION USING MESSAGE = 'ledger: transaction ' || NEW.transaction_id || ' was not sealed (unbalanced?)',
                 ERRCODE = 'integrity_constraint_violation';
         END IF;
         RETURN NULL;
       END $$""",
    """CREATE CONSTRAINT TRIGGER ledger_entry_sealed_at_commit AFTER INSERT ON ledger_entry
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_sealed_at_commit()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS ledger_entry_sealed_at_commit ON ledger_entry",
    "DROP FUNCTION IF EXISTS ledger_entry_sealed_at_commit()",
    "DROP TRIGGER IF EXISTS ledger_transaction_guard ON ledger_transaction",
    "DROP FUNCTION IF EXISTS ledger_transaction_guard()",
    "DROP TRIGGER IF EXISTS ledger_entry_guard ON ledger_entry",
    "DROP FUNCTION IF EXISTS ledger_entry_guard()",
]


def _run(schema_editor, statements_by_vendor):
    for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def backwards(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
