"""Inserting many rows of a model in one statement, for the hot paths.

`QuerySet.bulk_create` spends most of its time in Python: the query compiler resolves
every value of every object (`prepare_value`, `pre_save_val`), and on PostgreSQL the
columns go as arrays in text form, each string escaped by a regular expression. For the
batched crediting of webhooks (about ten rows per order: order, event, attribution,
entries) that was about a third of the worker's CPU.

`insert_rows` writes the same rows with `INSERT .. SELECT * FROM unnest(...)`, one array
per column, each value prepared by its field (`pre_save`, `get_db_prep_save`, as
`save()` does) and the arrays bound in binary where the connection binds on the server.
Primary keys come back in the order of the objects, as with `bulk_create`. Other
databases (SQLite in the demo) use `bulk_create`.

What it does not do, unlike `bulk_create`: multi-table inheritance, `db_default`
expressions, expressions as values, signals (`bulk_create` sends none either).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db import connection, models


def insert_rows(
    model: type[models.Model], objects: Sequence[models.Model], *, ignore_conflicts: bool = False, key: str | None = None
) -> list[models.Model] | None:
    """Insert `objects` (new instances of `model`) in one statement; set their primary
    keys unless `ignore_conflicts` (then rows that conflict are skipped, as with
    `bulk_create(ignore_conflicts=True)`, and no key is set).

    With `ignore_conflicts` and `key`, the name of a field whose values tell the objects
    apart, return the objects that were inserted (not skipped), their primary keys set, on
    PostgreSQL (`RETURNING`); elsewhere None: the caller reads the rows back."""
    if not objects:
        return [] if key else None
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, ignore_conflicts=ignore_conflicts)
        return None
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    if any(getattr(obj, meta.pk.attname) is not None for obj in objects):
        fields = list(meta.concrete_fields)  # keys given: inserted as they are
    columns = [[_value(field, obj) for obj in objects] for field in fields]
    binary = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is True
    placeholder = "%b" if binary else "%s"
    arrays = ", ".join(f"{placeholder}::{_array_type(field)}" for field in fields)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({names}) SELECT * FROM unnest({arrays})"
    pk_column = connection.ops.quote_name(meta.pk.column)
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
        if key:
            sql += f" RETURNING {pk_column}, {connection.ops.quote_name(meta.get_field(key).column)}"
    else:
        sql += f" RETURNING {pk_column}"
    inserted = None
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)
        if not ignore_conflicts:
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                setattr(obj, meta.pk.attname, pk)
        elif key:
            attname = meta.get_field(key).attname
            pks = {value: pk for pk, value in cursor.fetchall()}
            inserted = [obj for obj in objects if getattr(obj, attname) in pks]
            for obj in inserted:
                setattr(obj, meta.pk.attname, pks[getattr(obj, attname)])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return inserted


# Values of these Python types go to PostgreSQL as they are: what `get_db_prep_save`
# returns for them there (it converts other types, which then take the general path).
_PLAIN = {
    models.CharField: str, models.TextField: str, models.EmailField: str, models.URLField: str,
    models.BooleanField: bool, models.DecimalField: Decimal,
    models.IntegerField: int, models.BigIntegerField: int, models.SmallIntegerField: int,
    models.PositiveIntegerField: int, models.PositiveSmallIntegerField: int, models.PositiveBigIntegerField: int,
}  # fmt: skip


def _value(field: models.Field, obj: models.Model):
    value = obj.__dict__.get(field.attname)
    plain = _PLAIN.get(type(field))
    if type(value) is plain and (plain is not Decimal or value.is_finite()):
        return value
    if field.is_relation and type(value) is int:
        return value
    if field.is_relation and getattr(obj, field.attname) is None and field.is_cached(obj):
        # Given as an object that was saved after it was assigned (as `save()` does).
        related = field.get_cached_value(obj)
        if related is not None:
            if related.pk is None:
                raise ValueError(f"insert_rows() prohibited to prevent data loss due to unsaved related object {field.name!r}.")
            setattr(obj, field.attname, getattr(related, field.target_field.attname))
    return field.get_db_prep_save(field.pre_save(obj, add=True), connection)


def _array_type(field: models.Field) -> str:
    return f"{field.db_type(connection) or 'text'}[]"  # a foreign key: its target's type
