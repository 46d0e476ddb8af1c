"""Model instances from a plain cursor, for the few hot reads of the API.

Compiling a queryset costs more CPU than running it when the query is small and asked for
on every request: `Partner.objects.filter(...).in_bulk(ids)` for a page of 100 spends
about as much in Django's query compiler and its row iterator as in fetching the rows.
`instances` runs a fixed SQL text instead and builds the instances with `Model.from_db`,
applying each field's database converters (`from_db_value`) as the ORM does. The
instances are the ORM's (deferred fields, relations, saving all work).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def _select(model: type[Model]) -> str:
    columns = ", ".join(connection.ops.quote_name(field.column) for field in model._meta.concrete_fields)
    return f"SELECT {columns} FROM {connection.ops.quote_name(model._meta.db_table)}"


def instances(model: type[Model], where: str, params: list, *, suffix: str = "") -> list:
    """The rows of `model` matching `where` (SQL with `%s` placeholders; `suffix` may add
    ORDER BY / LIMIT), as instances, in one query."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    converters = [(at, field, field.get_db_converters(connection)) for at, field in enumerate(fields)]  # type: ignore[attr-defined]
    converters = [(at, field, found) for at, field, found in converters if found]
    with connection.cursor() as cursor:
        cursor.execute(f"{_select(model)} WHERE {where}{suffix}", params)
        rows = cursor.fetchall()
    found = []
    for row in rows:
        if converters:
            row = list(row)
            for at, field, field_converters in converters:
                for converter in field_converters:
                    row[at] = converter(row[at], field, connection)
        found.append(model.from_db(connection.alias, names, row))
    return found


def instances_with_ids(model: type[Model], installation_id: int, ids: list[int]) -> list:
    """The rows of an installation with these primary keys (any order), in one query."""
    if not ids:
        return []
    if connection.vendor == "postgresql":
        return instances(model, "installation_id = %s AND id = ANY(%s)", [installation_id, list(ids)])
    return list(model._default_manager.filter(installation_id=installation_id, pk__in=ids))
