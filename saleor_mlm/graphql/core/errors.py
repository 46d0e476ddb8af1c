"""Typed errors of mutations: `[{field, code, message}]`.

Domain code raises Django's `ValidationError` with a code (a dict of errors per field,
or one error for the whole input). The API turns it into `MlmError`s: `field` is the
input field in camelCase (null for the whole input), `code` the domain's code in upper
case (`CYCLE`, `NOT_FOUND`, ...), `message` the domain's message.
"""

from __future__ import annotations

from collections.abc import Mapping

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphene.utils.str_converters import to_camel_case

DEFAULT_CODE = "INVALID"


class MlmError(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about (camelCase); null when it concerns the whole input.")
    code = graphene.String(required=True, description="A stable, upper-case error code, e.g. NOT_FOUND, CYCLE, INVALID.")
    message = graphene.String(required=True, description="What went wrong, for people.")

    class Meta:
        description = "An error of a mutation's input or of the change it asked for."


def errors_from_validation_error(error: ValidationError, field_map: Mapping[str, str] | None = None) -> list[MlmError]:
    """Flatten a ValidationError into MlmErrors; `field_map` renames domain fields
    to input fields (`{"sponsor": "sponsorId"}`)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        items = error.error_dict.items()
    else:
        items = [(None, error.error_list)]
    errors = []
    for field, field_errors in items:
        name = None if field in (None, NON_FIELD_ERRORS) else field_map.get(field, to_camel_case(field))
        for item in field_errors:
            for message in item.messages:
                errors.append(MlmError(field=name, code=(item.code or DEFAULT_CODE).upper(), message=message))
    return errors
