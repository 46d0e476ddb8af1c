"""The base of every mutation: permissions declared on the class, typed errors.

A mutation file holds one subclass with:

- `class Meta: error_type_class = PeriodError` (as in Saleor): the type of its `errors`,
  whose `code` is the domain's error code enum (`errors.py`);
- `class Meta: permissions = (MlmPermission.MANAGE_USERS,)` (merchant mutations), or
  override `check_permissions` for storefront and public mutations;
- `clean_*` functions that turn arguments into the values the domain action takes,
  raising `ValidationError(..., code=...)`;
- a thin `perform_mutation` that calls the domain action and returns the payload.

Denied calls raise `PermissionDenied` before anything runs. Then the strings of the
input are checked for every mutation alike (`string_inputs.py`: no NUL characters; not
longer than the fields of `Meta.input_model` of the same name). A `ValidationError`
raised there, while cleaning or by the domain becomes `errors`, and the transaction is
rolled back.
"""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.db import transaction
from graphene.types.mutation import MutationOptions

from .errors import errors_from_validation_error
from .permissions import check_permissions, permissions_description
from .string_inputs import clean_input_strings, model_max_lengths


class MlmMutationOptions(MutationOptions):
    error_type_class: type[graphene.ObjectType] | None = None
    permissions: tuple[str, ...] = ()
    error_field_map: dict[str, str] | None = None
    # The model the input is stored in: input strings named like its text fields are
    # refused when longer than the field's `max_length`.
    input_max_lengths: dict[str, int] | None = None


class BaseMutation(graphene.Mutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls, error_type_class=None, permissions=(), error_field_map=None, input_model=None, description="", _meta=None, **options
    ):
        if not error_type_class:
            raise TypeError(f"{cls.__name__}: Meta.error_type_class is the type of its errors (NetworkError, PeriodError ...).")
        if not _meta:
            _meta = MlmMutationOptions(cls)
        _meta.error_type_class = error_type_class
        # `errors` comes first in every payload.
        _meta.fields = {
            "errors": graphene.Field(
                graphene.List(graphene.NonNull(error_type_class)), required=True, description="Empty when the mutation succeeded."
            )
        }
        _meta.permissions = tuple(permissions)
        _meta.error_field_map = dict(error_field_map or {})
        _meta.input_max_lengths = model_max_lengths(input_model)
        super().__init_subclass_with_meta__(description=(description or "") + permissions_description(permissions), _meta=_meta, **options)

    @classmethod
    def check_permissions(cls, context) -> None:
        """Raise PermissionDenied unless the requestor may run this mutation."""
        check_permissions(context, cls._meta.permissions)

    @classmethod
    def mutate(cls, root, info, **data):
        cls.check_permissions(info.context)
        try:
            clean_input_strings(data, cls._meta.input_max_lengths)
            with transaction.atomic():
                return cls.perform_mutation(root, info, **data)
        except ValidationError as error:
            return cls(errors=errors_from_validation_error(error, cls._meta.error_type_class, cls.error_field_map(data)))

    @classmethod
    def error_field_map(cls, data) -> dict[str, str]:
        """Domain field names -> input field names, for this call's errors."""
        return cls._meta.error_field_map

    @classmethod
    def perform_mutation(cls, root, info, **data):
        raise NotImplementedError("Mutations implement perform_mutation.")

    @classmethod
    def success(cls, **payload):
        return cls(errors=[], **payload)
