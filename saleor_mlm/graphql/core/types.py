"""Scalars and small types shared by the domain packages."""

import graphene
from graphene.types.generic import GenericScalar
from graphql import GraphQLError
from graphql_relay import from_global_id


class OrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"


class JSON(GenericScalar):
    """Any JSON value: an object, a list, a string, a number, a boolean or null."""

    class Meta:
        name = "JSON"


def decode_global_id(value: str, type_name: str) -> int | None:
    """The primary key in a global id of `type_name`; None when it is not one."""
    try:
        kind, pk = from_global_id(value)
        return int(pk) if kind == type_name else None
    except (TypeError, ValueError, UnicodeDecodeError):
        return None


class InvalidArgument(GraphQLError):
    def __init__(self, message: str, argument: str):
        super().__init__(message, extensions={"code": "INVALID_ARGUMENT", "argument": argument})


def decode_id_argument(value: str, type_name: str, argument: str) -> int:
    """For queries: the primary key, or a GraphQL error naming the argument."""
    pk = decode_global_id(value, type_name)
    if pk is None:
        raise InvalidArgument(f"`{argument}` is not the id of a {type_name}.", argument)
    return pk
