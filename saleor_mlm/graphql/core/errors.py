"""Typed errors of mutations: `[{field, code, message}]`, `code` an enum per domain.

Domain code raises `core.errors.DomainError` (a Django `ValidationError` with a code from
the domain's enum); the API's own cleaning raises `ValidationError`s with an
`ApiErrorCode`. A mutation declares its error type (`Meta.error_type_class`, as in
Saleor): `NetworkError` (`code: NetworkErrorCode!`), `PeriodError`
(`code: PeriodErrorCode!`). Each error code enum of the schema holds every code of the
domain enums its mutations call into, plus `ApiErrorCode` (`error_code_enum`).

`field` is the input field in camelCase (null for the whole input), `message` the
domain's message.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from graphene.utils.str_converters import to_camel_case

logger = logging.getLogger(__name__)


class ApiErrorCode(StrEnum):
    """Codes the API gives any mutation's input, whatever the domain (in every enum)."""

    INVALID = "INVALID"  # a malformed argument, or an error raised without a code
    REQUIRED = "REQUIRED"  # an argument the schema lets out is needed here
    NOT_FOUND = "NOT_FOUND"  # no object of this shop has the id
    # The input hygiene of every mutation (string_inputs.py): Django's validators' codes.
    NULL_CHARACTERS_NOT_ALLOWED = "NULL_CHARACTERS_NOT_ALLOWED"
    MAX_LENGTH = "MAX_LENGTH"


DEFAULT_CODE = ApiErrorCode.INVALID


def error_code_enum(name: str, *code_enums: type[StrEnum], description: str) -> type[graphene.Enum]:
    """The schema enum of every code in `code_enums` and `ApiErrorCode`, in that order."""
    codes = dict.fromkeys(code.value for enum in (*code_enums, ApiErrorCode) for code in enum)
    return graphene.Enum(name, [(code, code) for code in codes], description=description)


def error_type(name: str, code_enum: type[graphene.Enum], examples: str) -> type[graphene.ObjectType]:
    """An error type `{field, code: <code_enum>!, message}` of a domain's mutations;
    `examples` names a few of its codes."""

    class Meta:
        description = "An error of a mutation's input or of the change it asked for."

    return type(
        name,
        (graphene.ObjectType,),
        {
            "field": graphene.String(description="The input field the error is about (camelCase); null when it concerns the whole input."),
            "code": graphene.Field(graphene.NonNull(code_enum), description=f"A stable, upper-case error code, e.g. {examples}."),
            "message": graphene.String(required=True, description="What went wrong, for people."),
            "Meta": Meta,
        },
    )


def errors_from_validation_error(
    error: ValidationError, error_type: type[graphene.ObjectType], field_map: Mapping[str, str] | None = None
) -> list[graphene.ObjectType]:
    """Flatten a ValidationError into `error_type`s; `field_map` renames domain fields to
    input fields (`{"sponsor": "sponsorId"}`)."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        items = error.error_dict.items()
    else:
        items = [(None, error.error_list)]
    known = set(error_type._meta.fields["code"].type.of_type._meta.enum.__members__)
    errors = []
    for field, field_errors in items:
        name = None if field in (None, NON_FIELD_ERRORS) else field_map.get(field, to_camel_case(field))
        for item in field_errors:
            code = str(item.code or DEFAULT_CODE).upper()
            if code not in known:
                # A code no enum of this mutation lists is a bug of the API; the client
                # still gets the error (as INVALID), the log the code to add.
                logger.error("error code %s is not a member of the %s codes; answered as %s", code, error_type._meta.name, DEFAULT_CODE)
                code = DEFAULT_CODE
            for message in item.messages:
                errors.append(error_type(field=name, code=code, message=message))
    return errors
