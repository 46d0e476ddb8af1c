"""Sort orders of period lists; each ends with a unique field, so that cursors are unique."""

import graphene

from ..core.types import OrderDirection
from .enums import StatementSortField


class StatementSortingInput(graphene.InputObjectType):
    field = StatementSortField(required=True)
    direction = OrderDirection(default_value=OrderDirection.ASC.value)


def statement_sort_fields(sort_by) -> list[str]:
    """`sortBy` as `PartnerPeriodResult` fields for `paginate` (the partner id last)."""
    if not sort_by:
        return ["partner_id"]
    field = getattr(sort_by.field, "value", sort_by.field)
    direction = getattr(sort_by.direction, "value", sort_by.direction)
    prefix = "-" if direction == "desc" else ""
    return [prefix + field] if field == "partner_id" else [prefix + field, prefix + "partner_id"]
