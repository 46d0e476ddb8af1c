"""Rows as plain JSON values, the same way for a person's export and a shop's export."""

from __future__ import annotations

import base64
import datetime
import json
import uuid
from decimal import Decimal

from django.db import models

# Never exported: secrets stay in the database they protect.
SECRET_COLUMNS = frozenset({"installations.Installation.encrypted_auth_token", "mlm_graphql.ApiKey.hashed_key"})


def exported_fields(model: type[models.Model]) -> list[models.Field]:
    label = model._meta.label
    return [field for field in model._meta.concrete_fields if f"{label}.{field.name}" not in SECRET_COLUMNS]


def plain(value):
    """A column's value as JSON: decimals and dates as strings (exact), bytes as base64."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return {"base64": base64.b64encode(bytes(value)).decode()}
    if value is not None and not isinstance(value, str | int | float | bool | list | dict):
        return str(value)  # a country, an enum member
    return value


def row_dict(row: models.Model, fields: list[models.Field]) -> dict:
    """{column: value} of a row; foreign keys by id (`sponsor_id`)."""
    return {field.attname: plain(getattr(row, field.attname)) for field in fields}


def _default(value):
    converted = plain(value)
    return str(value) if converted is value else converted


def dumps(value) -> str:
    """Compact JSON; a value of another type (a country) as its text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)

