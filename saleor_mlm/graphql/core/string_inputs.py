"""The strings clients send: no NUL characters anywhere, lengths within the columns.

Checked once for every field, not by each mutation:

- A NUL character (`\\u0000`) in any string argument, at any depth of input objects and
  lists (JSON values included), is refused: PostgreSQL cannot store or compare it, so it
  would otherwise surface as an internal error. Mutations (`BaseMutation.mutate`, after
  the permission check) answer with a typed error on the input field
  (`NULL_CHARACTERS_NOT_ALLOWED`); other fields' arguments with a top-level
  `INVALID_ARGUMENT` error naming the argument (`refuse_nul_arguments`, a middleware).
- A string longer than the model field it is stored in is refused with an error naming
  the limit (`MAX_LENGTH`), instead of being cut (names) or failing in the database.
  A mutation declares the model of its input (`Meta.input_model`); every input field
  whose name is a text field of that model with a `max_length` is checked (blanks around
  the value, which the domain strips, do not count).

The messages are Django's validators' own (translated by Django).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import graphene
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from graphene.utils.str_converters import to_camel_case

from .types import InvalidArgument

_no_null_characters = ProhibitNullCharactersValidator()


def model_max_lengths(model: type[models.Model] | None) -> dict[str, int]:
    """The text fields of `model` with a maximum length (fields with choices are left to
    the domain's own checks, which name the allowed values)."""
    if model is None:
        return {}
    return {
        field.name: field.max_length
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField) and field.max_length and not field.choices
    }


def clean_input_strings(data: Mapping, max_lengths: Mapping[str, int]) -> None:
    """Raise a ValidationError, per input field, for strings with NUL characters or longer
    than `max_lengths` allows for their field."""
    errors: dict[str, list[ValidationError]] = {}
    for field, value in _strings(data, None):
        try:
            _no_null_characters(value)
            if field in max_lengths:
                MaxLengthValidator(max_lengths[field])(value.strip())
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def refuse_nul_arguments(next_resolver, root, info, **arguments):
    """Middleware: refuse a NUL character in the arguments of any field but a mutation
    (mutations refuse it themselves, after their permission check, as a typed error)."""
    if arguments and info.parent_type is not info.schema.mutation_type:
        for path, value in _strings(arguments, None, dotted=True):
            if "\x00" in value:
                raise InvalidArgument(str(_no_null_characters.message), to_camel_case(path))
    return next_resolver(root, info, **arguments)


def may_carry_nul(query: str, variables) -> bool:
    """Whether an argument of the operation may hold a NUL character: one in the document
    (raw, or as an escape: any `\\u` counts) or in a variable. Without one no argument can
    hold it, and the operation runs without `refuse_nul_arguments`, which otherwise costs a
    call on every field of every result (a downline page: 700)."""
    if "\x00" in query or "\\u" in query:
        return True
    return variables is not None and any("\x00" in text for _, text in _strings(variables, None))


def _strings(value, field: str | None, *, dotted: bool = False) -> Iterator[tuple[str, str]]:
    """(input field name, string) of every string in arguments: the name of the innermost
    input object field (keys of JSON objects are values, not fields), or the dotted path
    of input object fields."""
    if isinstance(value, str):
        yield field or "", value
    elif isinstance(value, graphene.InputObjectType) or (field is None and isinstance(value, Mapping)):
        for name, item in value.items():
            yield from _strings(item, f"{field}.{name}" if dotted and field else name, dotted=dotted)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key, field, dotted=dotted)
            yield from _strings(item, field, dotted=dotted)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item, field, dotted=dotted)
