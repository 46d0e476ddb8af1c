"""What the merchant sets by hand for a partner: rank overrides, adjustments, payout holds."""

from __future__ import annotations

import graphene

from saleor_mlm.engine.money import minor_digits

from ..core.connection import CountableConnection
from ..network import dataloaders as network_loaders
from ..network.types import Partner
from ..network.visibility import Access, Visible
from . import dataloaders as loaders
from .formats import money
from .ranks import Rank, rank_value

# Period is named by import path: period.py imports this module, and graphene imports it when
# it builds the schema.
_PERIOD = "saleor_mlm.graphql.periods.period.Period"


class RankOverride(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    period = graphene.Field(_PERIOD, required=True)
    rank = graphene.Field(Rank, required=True)
    reason = graphene.String(required=True)
    approved_by = graphene.String(required=True)
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A rank set by the company for a partner and a period; it beats the calculation when the partner qualifies."

    @staticmethod
    def resolve_partner(root, info):
        return _merchant_partner(info, root)

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_rank(root, info):
        version = loaders.PlanInForceByMonthLoader(info.context, root.installation_id).load(
            loaders.PeriodByIdLoader(info.context).load(root.period_id).starts_on
        )
        return rank_value(root.rank, version.document if version else None)


def currency_places(info, period_id: int) -> int:
    """Minor digits of a period's currency: of its close run, else of the plan in force."""
    period = loaders.PeriodByIdLoader(info.context).load(period_id)
    if period.close_run_id:
        return loaders.PeriodRunByIdLoader(info.context).load(period.close_run_id).minor_digits
    version = loaders.PlanInForceByMonthLoader(info.context, period.installation_id).load(period.starts_on)
    currency = (version.document or {}).get("currency") if version else None
    return minor_digits(currency) if currency else 2


class Adjustment(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    period = graphene.Field(_PERIOD, required=True)
    amount = graphene.Decimal(required=True, description="In the plan currency; negative takes money away.")
    reason = graphene.String(required=True)
    approved_by = graphene.String(required=True)
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "Money added to (or taken from) a partner's balance of a period, approved by a second person."

    @staticmethod
    def resolve_partner(root, info):
        return _merchant_partner(info, root)

    @staticmethod
    def resolve_amount(root, info):
        return money(root.amount, currency_places(info, root.period_id))

    @staticmethod
    def resolve_period(root, info):
        return loaders.PeriodByIdLoader(info.context).load(root.period_id)


class PayoutHold(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    reason = graphene.String(required=True)
    starts_on = graphene.Date(required=True, description="First day of the first month held.")
    ends_on = graphene.Date(description="Last day of the last month held; null until released.")
    active = graphene.Boolean(required=True, description="Not released yet.")
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    released_by = graphene.String()
    released_at = graphene.DateTime()
    release_reason = graphene.String()

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "No payout to a partner for a range of months: the balance is carried forward, not lost."

    @staticmethod
    def resolve_partner(root, info):
        return _merchant_partner(info, root)

    @staticmethod
    def resolve_active(root, info):
        return root.released_at is None

    @staticmethod
    def resolve_released_by(root, info):
        return root.released_by or None

    @staticmethod
    def resolve_release_reason(root, info):
        return root.release_reason or None


def _merchant_partner(info, root):
    partner = network_loaders.PartnerByIdLoader(info.context).load_for(root, lambda row: row.partner_id)
    return Visible(partner, Access.MERCHANT) if partner else None



class AdjustmentCountableConnection(CountableConnection):
    class Meta:
        node = Adjustment


class RankOverrideCountableConnection(CountableConnection):
    class Meta:
        node = RankOverride


class PayoutHoldCountableConnection(CountableConnection):
    class Meta:
        node = PayoutHold
