"""A period's statistics, as a run stored them in its summary."""

from __future__ import annotations

from decimal import Decimal

import graphene

from .enums import BalanceReasonEnum
from .formats import money, volume
from .ranks import BonusAmount, Rank, bonus_amounts, rank_value

# Period and PeriodRun are named by import path: their modules import this one, and graphene
# imports them when it builds the schema.
_PERIOD = "saleor_mlm.graphql.periods.period.Period"
_PERIOD_RUN = "saleor_mlm.graphql.periods.runs.PeriodRun"


class RankCount(graphene.ObjectType):
    rank = graphene.Field(Rank, required=True)
    count = graphene.Int(required=True)


class ReasonCount(graphene.ObjectType):
    reason = graphene.Field(BalanceReasonEnum, required=True)
    count = graphene.Int(required=True)


class BalanceStatistics(graphene.ObjectType):
    partners = graphene.Int(required=True, description="Partners with something to settle.")
    payable = graphene.Decimal(required=True)
    paid = graphene.Decimal(required=True)
    carried_forward = graphene.Decimal(required=True)
    reasons = graphene.List(graphene.NonNull(ReasonCount), required=True)


class Statistics(graphene.ObjectType):
    period = graphene.Field(_PERIOD, required=True)
    run = graphene.Field(_PERIOD_RUN, required=True, description="The run the figures come from (close, else the latest preview).")
    currency = graphene.String(required=True)
    partners = graphene.Int(required=True, description="Partners enrolled by the end of the period.")
    active = graphene.Int(required=True, description="Status active (as set by the company).")
    inactive = graphene.Int(required=True)
    terminated = graphene.Int(required=True)
    qualified = graphene.Int(required=True, description="Active and with the plan's minimum PV.")
    not_qualified = graphene.Int(required=True)
    enrollments = graphene.Int(required=True, description="Partners enrolled in the period.")
    new_customers = graphene.Int(required=True)
    paid_as_ranks = graphene.List(graphene.NonNull(RankCount), required=True, description="Partners per paid-as rank, lowest first.")
    career_ranks = graphene.List(graphene.NonNull(RankCount), required=True)
    rank_overrides = graphene.Int(required=True)
    earning_partners = graphene.Int(required=True)
    pv = graphene.Decimal(required=True, description="Own PV of everybody, refunds included.")
    bv = graphene.Decimal(required=True)
    bonuses = graphene.List(graphene.NonNull(BonusAmount), required=True)
    total = graphene.Decimal(required=True, description="All bonuses.")
    payout_ratio = graphene.Decimal(description="Bonuses as a percentage of BV (2 decimals); null without BV.")
    balances = graphene.Field(BalanceStatistics, description="Close runs: what was paid and carried forward.")

    class Meta:
        description = "Figures of a period: partners per status and rank, enrollments, volume, payout and payout ratio."


def statistics_of(period, run) -> Statistics | None:
    """The statistics a run stored in its summary."""
    summary = run.summary or {}
    stats = summary.get("statistics")
    if not stats:
        return None
    totals = summary.get("totals", {})
    document = run.plan_document
    places = run.minor_digits
    statuses = stats.get("statuses", {})
    balances = summary.get("balances")
    return Statistics(
        period=period,
        run=run,
        currency=summary.get("currency") or run.currency,
        partners=stats.get("partners", 0),
        active=statuses.get("active", 0),
        inactive=statuses.get("inactive", 0),
        terminated=statuses.get("terminated", 0),
        qualified=stats.get("qualified", 0),
        not_qualified=stats.get("not_qualified", 0),
        enrollments=stats.get("enrollments", 0),
        new_customers=stats.get("new_customers", 0),
        paid_as_ranks=[RankCount(rank=rank_value(code, document), count=n) for code, n in stats.get("paid_as_ranks", {}).items()],
        career_ranks=[RankCount(rank=rank_value(code, document), count=n) for code, n in stats.get("career_ranks", {}).items()],
        rank_overrides=stats.get("rank_overrides", 0),
        earning_partners=stats.get("earning_partners", 0),
        pv=volume(totals.get("pv", 0)),
        bv=volume(totals.get("bv", 0)),
        bonuses=bonus_amounts(totals, places),
        total=money(totals.get("total", 0), places),
        payout_ratio=Decimal(stats["payout_ratio"]) if stats.get("payout_ratio") is not None else None,
        balances=BalanceStatistics(
            partners=balances.get("partners", 0),
            payable=money(balances.get("payable", 0), places),
            paid=money(balances.get("paid", 0), places),
            carried_forward=money(balances.get("carried_forward", 0), places),
            reasons=[ReasonCount(reason=reason, count=n) for reason, n in balances.get("reasons", {}).items()],
        )
        if balances
        else None,
    )
