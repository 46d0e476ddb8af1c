"""The append-only trigger lets ledger entries go with their installation, and only so.

`privacy.installation_delete` removes every row of an installation when the merchant leaves
(after the export the law asks them to keep). It says so for its own transaction with
`set_config('saleor_mlm.deleting_installation', '<id>', true)`; the trigger then lets a
DELETE of that installation's entries through. UPDATE stays refused always, and so does a
DELETE of any other entry.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('saleor_mlm.deleting_installation', true) = OLD.installation_id::text THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ledger entries are append-only: % refused on ledger_ledgerentry id %', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation',
              HINT = 'Add an adjustment entry instead.';
END;
$$ LANGUAGE plpgsql;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % refused on ledger_ledgerentry id %', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation',
              HINT = 'Add an adjustment entry instead.';
END;
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_order_attribution_unknown_referral_code")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
