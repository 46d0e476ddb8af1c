"""core.bulk.insert_rows writes exactly the rows `bulk_create` writes, keys in order."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from saleor_mlm.core.bulk import insert_rows
from saleor_mlm.ledger.models import ExchangeRate
from saleor_mlm.network import ChangeKind
from saleor_mlm.network.models import Customer, NetworkChange

pytestmark = pytest.mark.django_db


def _rows(model, objects):
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "installation_id", "created_at", "updated_at")]
    return [tuple(getattr(row, name) for name in names) for row in model.objects.filter(pk__in=[o.pk for o in objects]).order_by("pk")]


def _customers(installation):
    moment = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
    return [
        Customer(installation=installation, email=f"c{i}@example.com", saleor_user_id=f"user{i}" if i % 2 else "",
                 first_name="Zoë \"quoted\" {braces}, back\\slash" if i == 3 else "", attributed_at=moment if i % 3 else None)
        for i in range(7)
    ]  # fmt: skip


def test_the_same_rows_as_bulk_create_with_their_keys_in_order(installation_factory):
    by_bulk_create = Customer.objects.bulk_create(_customers(installation_factory()))
    by_insert_rows = _customers(installation_factory())
    insert_rows(Customer, by_insert_rows)

    assert [c.pk for c in by_insert_rows] == sorted(c.pk for c in by_insert_rows)
    for customer in by_insert_rows:
        assert Customer.objects.get(pk=customer.pk).email == customer.email
        assert not customer._state.adding
    assert _rows(Customer, by_insert_rows) == _rows(Customer, by_bulk_create)
    assert _rows(Customer, by_insert_rows)[3][2] == 'Zoë "quoted" {braces}, back\\slash'
    assert all(c.created_at is not None for c in by_insert_rows)  # auto_now_add, as save() sets it


def test_json_values_nulls_and_objects_saved_after_they_were_assigned(installation):
    customer = Customer(installation=installation, email="late@example.com")
    changes = [
        NetworkChange(installation=installation, customer=customer, kind=ChangeKind.SPONSOR, old_value=None,
                      new_value={"sponsor": "ANNA", "nested": [1, "ü", None]}, changed_by="system", reason="a, \"b\""),
        NetworkChange(installation=installation, customer=customer, kind=ChangeKind.SPONSOR, old_value={"sponsor": None},
                      new_value=None, changed_by="system"),
    ]  # fmt: skip
    insert_rows(Customer, [customer])  # saved after the changes were given it
    insert_rows(NetworkChange, changes)

    stored = list(NetworkChange.objects.filter(pk__in=[c.pk for c in changes]).order_by("pk"))
    assert [c.customer_id for c in stored] == [customer.pk, customer.pk]
    assert stored[0].new_value == {"sponsor": "ANNA", "nested": [1, "ü", None]} and stored[0].old_value is None
    assert stored[1].old_value == {"sponsor": None} and stored[1].new_value is None
    assert stored[0].reason == 'a, "b"'


def test_an_unsaved_related_object_is_refused(installation):
    customer = Customer(installation=installation, email="never@example.com")
    change = NetworkChange(installation=installation, customer=customer, kind=ChangeKind.SPONSOR, changed_by="system")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_rows(NetworkChange, [change])


def test_ignore_conflicts_skips_existing_rows(installation):
    Customer.objects.create(installation=installation, email="first@example.com", saleor_user_id="VXNlcjox")
    rows = [Customer(installation=installation, email=f"{n}@example.com", saleor_user_id=f"VXNlcjo{n}") for n in ("x", "y")]
    rows[0].saleor_user_id = "VXNlcjox"  # taken
    insert_rows(Customer, rows, ignore_conflicts=True)
    assert Customer.objects.filter(installation=installation).count() == 2
    assert Customer.objects.get(saleor_user_id="VXNlcjox").email == "first@example.com"  # the existing row is kept

    with pytest.raises(IntegrityError):
        insert_rows(Customer, [Customer(installation=installation, email="again@example.com", saleor_user_id="VXNlcjox")])


def test_ignore_conflicts_with_a_key_returns_the_objects_inserted_with_their_keys(installation):
    if connection.vendor != "postgresql":
        pytest.skip("RETURNING of the rows an INSERT .. ON CONFLICT DO NOTHING wrote: PostgreSQL")
    taken = Customer.objects.create(installation=installation, email="first@example.com", saleor_user_id="VXNlcjox")
    rows = [Customer(installation=installation, email=f"{n}@example.com", saleor_user_id=f"VXNlcjo{n}") for n in ("x", "y", "z")]

    inserted = insert_rows(Customer, rows, ignore_conflicts=True, key="saleor_user_id")

    assert inserted == [rows[1], rows[2]]
    assert [Customer.objects.get(pk=row.pk).email for row in inserted] == ["y@example.com", "z@example.com"]
    assert rows[0].pk is None and Customer.objects.get(saleor_user_id="VXNlcjox").pk == taken.pk


def test_nothing_to_insert_runs_no_statement(installation, django_assert_num_queries):
    with django_assert_num_queries(0):
        insert_rows(Customer, [])


def test_one_statement_for_many_rows(installation, django_assert_num_queries):
    with django_assert_num_queries(1):
        insert_rows(Customer, _customers(installation))


def test_values_are_prepared_by_their_fields_where_they_need_it(installation):
    customers = _customers(installation)
    customers[0].email = 12345  # not a str: the field makes it one, as save() does
    insert_rows(Customer, customers)
    assert Customer.objects.get(pk=customers[0].pk).email == "12345"

    # A Decimal that is not a number is refused by the field, as by save().
    rate = ExchangeRate(installation=installation, currency="USD", plan_currency="EUR", rate=Decimal("NaN"), valid_on=datetime.date(2026, 11, 1))
    with pytest.raises(ValidationError):
        insert_rows(ExchangeRate, [rate])


# ---------------------------------------------------------------------- column by column


def test_insert_columns_writes_what_save_writes_with_special_characters_nulls_and_json(installation):
    from saleor_mlm.core.bulk import allocate_ids, insert_columns, update_columns

    moment = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
    ids = allocate_ids(Customer, 3)
    names = ["tab\there", "back\\slash, \\N and \"quotes\"", "line\nbreak\r"]
    insert_columns(
        Customer,
        3,
        {"id": ids, "first_name": names, "saleor_user_id": ["", "VXNlcjox", ""], "attributed_at": [moment, None, moment]},
        {"installation": installation.pk, "email": "same@example.com", "created_at": moment, "updated_at": moment},
    )
    stored = list(Customer.objects.filter(pk__in=ids).order_by("pk"))
    assert [c.pk for c in stored] == sorted(ids) == ids
    assert [c.first_name for c in stored] == names
    assert [c.attributed_at for c in stored] == [moment, None, moment]
    assert {c.email for c in stored} == {"same@example.com"}

    values = [{"sponsor": "ÄNNA", "path": ["a\tb", "c\\d"], "n": None}, None]
    changes = allocate_ids(NetworkChange, 2)
    insert_columns(
        NetworkChange,
        2,
        {"id": changes, "customer": ids[:2], "new_value": values},
        {"installation": installation.pk, "kind": ChangeKind.SPONSOR, "changed_by": "system", "reason": "", "created_at": moment},
    )
    assert [c.new_value for c in NetworkChange.objects.filter(pk__in=changes).order_by("pk")] == values

    update_columns(Customer, ids[1:], {"first_name": ["Zoë", "Ann\\a"]}, {"updated_at": moment + datetime.timedelta(days=1)})
    assert list(Customer.objects.filter(pk__in=ids).order_by("pk").values_list("first_name", flat=True)) == [names[0], "Zoë", "Ann\\a"]
    assert Customer.objects.get(pk=ids[2]).updated_at == moment + datetime.timedelta(days=1)
    assert Customer.objects.get(pk=ids[0]).updated_at == moment


def test_allocated_ids_are_never_handed_out_again(installation):
    from saleor_mlm.core.bulk import allocate_ids

    ids = allocate_ids(Customer, 5)
    later = Customer.objects.create(installation=installation, email="later@example.com")
    assert len(set(ids)) == 5 and later.pk not in ids
    assert set(allocate_ids(Customer, 3)).isdisjoint([*ids, later.pk])
    assert allocate_ids(Customer, 0) == []
