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

import datetime
import json
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone


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


# ------------------------------------------------------------------ column by column
#
# An import writes a million rows: building a model instance per row and preparing each
# value through its field would take longer than the database. `insert_columns` and
# `update_columns` take the values column by column, already in the database's form
# (str, int, bool, Decimal, aware datetime, None; Python values for JSON fields), and
# values that are the same for every row once. Other databases (SQLite in the demo) get
# each value prepared by its field and one `executemany`.

# Rows per statement: a block's arrays stay a few MB on both ends.
COLUMN_BLOCK = 50_000


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model`, for rows that refer to each other before any
    of them is written (partners of one file sponsoring each other)."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite lets one writer at a time commit; AUTOINCREMENT never reuses a key, so
        # start after the highest one ever handed out.
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {connection.ops.quote_name(table)}")
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        highest = max(highest, cursor.fetchone()[0])
    return list(range(highest + 1, highest + 1 + count))


def insert_columns(model: type[models.Model], count: int, columns: dict[str, Sequence], constants: dict | None = None) -> None:
    """Insert `count` rows of `model`: `columns` maps field names to `count` values each,
    `constants` field names to one value for every row. Fields named in neither get
    their model default (as `save()` gives them; `auto_now(_add)`: now)."""
    if count <= 0:
        return
    constants = {**_defaults(model, {*columns, *(constants or {})}), **(constants or {})}
    for start in range(0, count, COLUMN_BLOCK):
        stop = min(start + COLUMN_BLOCK, count)
        block = {name: values[start:stop] for name, values in columns.items()}
        if connection.vendor == "postgresql":
            _insert_block_postgresql(model, block, constants)
        else:
            _write_block_generic(model, "insert", stop - start, block, constants)


def _defaults(model: type[models.Model], given: set[str]) -> dict:
    now = timezone.now()
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in given or field.attname in given:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        defaults[field.name] = now if auto else field.get_default()
    return defaults


def update_columns(model: type[models.Model], ids: Sequence[int], columns: dict[str, Sequence], constants: dict | None = None) -> None:
    """Set fields of the rows with these primary keys: `columns` one value per id,
    `constants` one value for all of them."""
    if not ids:
        return
    constants = constants or {}
    for start in range(0, len(ids), COLUMN_BLOCK):
        stop = min(start + COLUMN_BLOCK, len(ids))
        block = {name: values[start:stop] for name, values in columns.items()}
        if connection.vendor == "postgresql":
            _update_block_postgresql(model, list(ids[start:stop]), block, constants)
        else:
            _write_block_generic(model, "update", stop - start, block, constants, ids=list(ids[start:stop]))


def _field(model, name: str) -> models.Field:
    return model._meta.get_field(name)


def _is_json(field: models.Field) -> bool:
    return isinstance(field, models.JSONField)


def _array(field: models.Field, values) -> tuple[str, list]:
    """(cast, values) for one column bound as an array: JSON goes as text."""
    if _is_json(field):
        return "text[]", [None if value is None else json.dumps(value, cls=field.encoder) for value in values]
    return _array_type(field), list(values)


def _select_item(field: models.Field, expression: str) -> str:
    return f"({expression})::jsonb" if _is_json(field) else expression


def _constant(field: models.Field, value) -> tuple[str, object]:
    if _is_json(field):
        return "%s::jsonb", None if value is None else json.dumps(value, cls=field.encoder)
    return f"%s::{field.db_type(connection) or 'text'}", value


def _placeholder() -> str:
    binary = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding") is True
    return "%b" if binary else "%s"


def _insert_block_postgresql(model, block: dict[str, Sequence], constants: dict) -> None:
    """COPY in text format: each column turned into text at once (no Python call per
    value where the column is plain strings or integers)."""
    quote = connection.ops.quote_name
    count = len(next(iter(block.values()))) if block else 0
    names, columns = [], []
    for name, values in block.items():
        field = _field(model, name)
        names.append(quote(field.column))
        columns.append(_copy_texts(field, values))
    for name, value in constants.items():
        field = _field(model, name)
        names.append(quote(field.column))
        columns.append([_copy_texts(field, [value])[0]] * count)
    text = "".join(line + "\n" for line in map("\t".join, zip(*columns)))
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({', '.join(names)}) FROM STDIN") as copy:
            copy.write(text)


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_texts(field: models.Field, values: Sequence) -> list[str]:
    """Values of one column as COPY text (`\\N` for NULL, special characters escaped)."""
    if _is_json(field):
        # Unescaped non-ASCII: the same jsonb, and no backslashes to escape for COPY.
        values = [None if value is None else json.dumps(value, cls=field.encoder, ensure_ascii=False) for value in values]
    kinds = set(map(type, values))
    if kinds <= {int, type(None)}:
        return ["\\N" if value is None else str(value) for value in values]
    texts = list(values) if kinds <= {str} else [None if value is None else _copy_text(value) for value in values]
    joined = "".join(filter(None, texts))
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        texts = [None if text is None else text.translate(_COPY_ESCAPES) for text in texts]
    if type(None) in kinds:
        texts = ["\\N" if text is None else text for text in texts]
    return texts


def _copy_text(value) -> str:
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def _update_block_postgresql(model, ids: list[int], block: dict[str, Sequence], constants: dict) -> None:
    quote = connection.ops.quote_name
    placeholder = _placeholder()
    pk = model._meta.pk
    assignments, arrays, params, constant_params = [], [f"{placeholder}::{_array_type(pk)}"], [ids], []
    for index, (name, values) in enumerate(block.items()):
        field = _field(model, name)
        cast, prepared = _array(field, values)
        arrays.append(f"{placeholder}::{cast}")
        params.append(prepared)
        assignments.append(f"{quote(field.column)} = {_select_item(field, f'u.c{index}')}")
    for name, value in constants.items():
        field = _field(model, name)
        sql, prepared = _constant(field, value)
        assignments.append(f"{quote(field.column)} = {sql}")
        constant_params.append(prepared)
    aliases = ", ".join(["pk", *(f"c{i}" for i in range(len(block)))])
    table = quote(model._meta.db_table)
    sql = (
        f"UPDATE {table} SET {', '.join(assignments)} FROM unnest({', '.join(arrays)}) AS u({aliases}) "
        f"WHERE {table}.{quote(pk.column)} = u.pk"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constant_params, *params])


def _write_block_generic(model, how: str, count: int, block: dict[str, Sequence], constants: dict, ids: list[int] | None = None) -> None:
    quote = connection.ops.quote_name
    fields = [_field(model, name) for name in [*block, *constants]]
    columns = [*block.values(), *([value] * count for value in constants.values())]
    rows = [
        [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)]
        for row in zip(*columns, strict=True)
    ]
    table = quote(model._meta.db_table)
    if how == "insert":
        sql = f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})"
    else:
        sql = f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} WHERE {quote(model._meta.pk.column)} = %s"
        rows = [[*row, pk] for row, pk in zip(rows, ids, strict=True)]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
