"""The merchant's filter of payout items."""

from __future__ import annotations

import graphene
from django.db.models import QuerySet

from ..core.types import decode_id_argument
from ..periods.filters import month_argument
from .enums import PayoutItemStatusEnum, PayoutMethodEnum


class PayoutItemFilterInput(graphene.InputObjectType):
    period = graphene.String(description="The month of the run's period, YYYY-MM.")
    run_id = graphene.ID()
    status = graphene.List(graphene.NonNull(PayoutItemStatusEnum), description="Any of these states.")
    method = graphene.List(graphene.NonNull(PayoutMethodEnum))
    partner_id = graphene.ID()
    skipped = graphene.Boolean(description="true: pending items that wait for a reason; false: the others.")


def _values(enums) -> list[str]:
    return [getattr(item, "value", item) for item in enums]


def filter_payout_items(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.period:
        queryset = queryset.filter(run__period__starts_on=month_argument(filter_input.period, "filter.period"))
    if filter_input.run_id:
        queryset = queryset.filter(run_id=decode_id_argument(filter_input.run_id, "PayoutRun", "filter.runId"))
    if filter_input.status:
        queryset = queryset.filter(status__in=_values(filter_input.status))
    if filter_input.method:
        queryset = queryset.filter(method__in=_values(filter_input.method))
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    if filter_input.skipped is not None:
        skipped = queryset.filter(status="pending").exclude(skip_reason="")
        queryset = skipped if filter_input.skipped else queryset.exclude(pk__in=skipped.values("pk"))
    return queryset
