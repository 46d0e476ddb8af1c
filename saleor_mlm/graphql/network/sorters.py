"""Sort orders of partner and customer lists; each ends with the primary key, so that
cursors are unique."""

import graphene

from ..core.types import OrderDirection
from .enums import CustomerSortField, PartnerSortField

_FIELDS = {
    "name": ["last_name", "first_name"],
    "email": ["email"],
    "referral_code": ["referral_code"],
    "enrolled_at": ["enrolled_at"],
    "created_at": ["created_at"],
}


class PartnerSortingInput(graphene.InputObjectType):
    field = PartnerSortField(required=True)
    direction = OrderDirection(default_value=OrderDirection.ASC.value)


class CustomerSortingInput(graphene.InputObjectType):
    field = CustomerSortField(required=True)
    direction = OrderDirection(default_value=OrderDirection.ASC.value)


def sort_fields(sort_by, default: str = "name") -> list[str]:
    """`sortBy` as the model fields `paginate` takes: `["-last_name", "-first_name", "-id"]`."""
    field = getattr(sort_by.field, "value", sort_by.field) if sort_by else default
    direction = getattr(sort_by.direction, "value", sort_by.direction) if sort_by else "asc"
    prefix = "-" if direction == "desc" else ""
    return [prefix + name for name in [*_FIELDS[field], "id"]]
