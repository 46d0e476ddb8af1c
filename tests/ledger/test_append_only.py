"""Ledger entries are never changed or removed: by the model, and by PostgreSQL itself."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from saleor_mlm.ledger.models import AppendOnlyError, LedgerEntry
from tests.fixtures.ledger import adjustment_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(ledger_partner):
    return adjustment_entry(ledger_partner("ANNA"), "10", "12.50", "welcome bonus volume", "boss@example.com")


def test_orm_refuses_to_update_an_entry(entry):
    entry.pv = Decimal("1000")
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_orm_refuses_to_delete_an_entry(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_queryset_refuses_bulk_changes(entry):
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(pv=0)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.bulk_update([entry], ["pv"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_ledgerentry SET pv = 1000 WHERE id = %s",
        "DELETE FROM ledger_ledgerentry WHERE id = %s",
    ],
)
def test_postgresql_refuses_update_and_delete(entry, sql):
    assert connection.vendor == "postgresql"
    with pytest.raises(DatabaseError, match="ledger entries are append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    entry_now = LedgerEntry.objects.get(pk=entry.pk)
    assert (entry_now.pv, entry_now.bv) == (Decimal("10"), Decimal("12.5"))


def test_inserting_is_allowed_by_the_trigger(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_ledgerentry (installation_id, period_id, partner_id, kind, order_line_id, pv, bv, reason,"
            " approved_by, created_by, created_at) SELECT installation_id, period_id, partner_id, 'adjustment', '', -1, -1,"
            " 'undo part', 'boss@example.com', '', now() FROM ledger_ledgerentry WHERE id = %s",
            [entry.pk],
        )

    assert LedgerEntry.objects.count() == 2
