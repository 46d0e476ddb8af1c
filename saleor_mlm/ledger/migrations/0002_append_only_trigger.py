"""Refuse UPDATE and DELETE on ledger entries in PostgreSQL itself.

The model refuses too, but only for code that goes through the ORM's save/delete; this
trigger also stops raw SQL, `QuerySet.update()` in a future refactoring and manual fixes
in psql. Corrections are new entries (adjustments). TRUNCATE is not a row operation and
stays possible for test databases; production never truncates.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % refused on ledger_ledgerentry id %', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation',
              HINT = 'Add an adjustment entry instead.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ledger_entry_append_only
    BEFORE UPDATE OR DELETE ON ledger_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON ledger_ledgerentry;
DROP FUNCTION IF EXISTS ledger_entry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
