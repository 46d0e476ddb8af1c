"""Filter inputs of the merchant's period lists and the querysets they select."""

from __future__ import annotations

import datetime

import graphene
from django.db.models import QuerySet

from ..core.types import InvalidArgument, decode_id_argument
from .enums import PeriodStatusEnum, PlanStatusEnum, RunKindEnum, RunStatusEnum


def _values(enums) -> list[str]:
    return [getattr(item, "value", item) for item in enums]


def month_argument(value: str, argument: str) -> datetime.date:
    """`2026-10` -> 2026-10-01, or an INVALID_ARGUMENT error naming the argument."""
    text = (value or "").strip()
    try:
        return datetime.date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)
    except ValueError:
        raise InvalidArgument(f"`{argument}` is not a month (YYYY-MM).", argument) from None


class PeriodFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(PeriodStatusEnum), description="Any of these statuses.")
    from_month = graphene.String(description="From this month on (YYYY-MM).")
    to_month = graphene.String(description="Up to and including this month (YYYY-MM).")


def filter_periods(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.status:
        queryset = queryset.filter(status__in=_values(filter_input.status))
    if filter_input.from_month:
        queryset = queryset.filter(starts_on__gte=month_argument(filter_input.from_month, "filter.fromMonth"))
    if filter_input.to_month:
        queryset = queryset.filter(starts_on__lte=month_argument(filter_input.to_month, "filter.toMonth"))
    return queryset


class PeriodRunFilterInput(graphene.InputObjectType):
    period_id = graphene.ID()
    kind = graphene.List(graphene.NonNull(RunKindEnum))
    status = graphene.List(graphene.NonNull(RunStatusEnum))


def filter_runs(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.period_id:
        queryset = queryset.filter(period_id=decode_id_argument(filter_input.period_id, "Period", "filter.periodId"))
    if filter_input.kind:
        queryset = queryset.filter(kind__in=_values(filter_input.kind))
    if filter_input.status:
        queryset = queryset.filter(status__in=_values(filter_input.status))
    return queryset


class PlanVersionFilterInput(graphene.InputObjectType):
    status = graphene.List(graphene.NonNull(PlanStatusEnum))
    program_id = graphene.ID(description="Only this program's versions.")


def filter_plan_versions(queryset: QuerySet, filter_input) -> QuerySet:
    if filter_input and filter_input.status:
        queryset = queryset.filter(status__in=_values(filter_input.status))
    if filter_input and filter_input.program_id:
        queryset = queryset.filter(program_id=decode_id_argument(filter_input.program_id, "Program", "filter.programId"))
    return queryset


class PeriodPartnerFilterInput(graphene.InputObjectType):
    """Adjustments or rank overrides of a period, of a partner."""

    period_id = graphene.ID()
    partner_id = graphene.ID()


def filter_by_period_and_partner(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.period_id:
        queryset = queryset.filter(period_id=decode_id_argument(filter_input.period_id, "Period", "filter.periodId"))
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    return queryset


class PayoutHoldFilterInput(graphene.InputObjectType):
    partner_id = graphene.ID()
    active = graphene.Boolean(description="Not released (true), or released (false).")


def filter_payout_holds(queryset: QuerySet, filter_input) -> QuerySet:
    if not filter_input:
        return queryset
    if filter_input.partner_id:
        queryset = queryset.filter(partner_id=decode_id_argument(filter_input.partner_id, "Partner", "filter.partnerId"))
    if filter_input.active is not None:
        queryset = queryset.filter(released_at__isnull=filter_input.active)
    return queryset
