"""The merchant's volume settings and exchange rates in the API (issue 20 item 1: every
setting of the dashboard's settings page is in the API as well)."""

from __future__ import annotations

from decimal import Decimal

import graphene

from saleor_mlm.ledger.crediting import volume_settings_for
from saleor_mlm.ledger.models import ExchangeRate as ExchangeRateModel

from ..core.connection import CountableConnection, paginate


class VolumeSettings(graphene.ObjectType):
    plan_currency = graphene.String(required=True, description="The plan's currency: BV is commissionable value in it (set by the plan).")
    pv_per_bv = graphene.Decimal(required=True, description="PV of a line without PV metadata: its BV times this ratio (1: one point per unit).")
    pv_metadata_key = graphene.String(required=True, description="The metadata key on variants and products holding PV per unit.")
    bv_metadata_key = graphene.String(required=True, description="The metadata key on variants and products holding BV per unit.")
    referral_metadata_key = graphene.String(required=True, description="The key of a partner's referral code in order and customer metadata.")
    updated_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_plan_currency(root, info):
        return root.plan_currency.upper()

    @staticmethod
    def resolve_pv_per_bv(root, info):
        # Without the column's trailing zeros: 1, 0.5 (not 1.000000).
        return Decimal(format(root.pv_per_bv.normalize(), "f"))


class ExchangeRate(graphene.ObjectType):
    currency = graphene.String(required=True, description="The order currency.")
    plan_currency = graphene.String(required=True)
    rate = graphene.Decimal(required=True, description="Plan-currency units per 1 unit of `currency`.")
    valid_on = graphene.Date(required=True, description="An order takes the rate of its date, else the latest one before it.")


class ExchangeRateCountableConnection(CountableConnection):
    class Meta:
        node = ExchangeRate


class ExchangeRateFilterInput(graphene.InputObjectType):
    currency = graphene.String(description="Three-letter code of the order currency.")


def resolve_volume_settings(info):
    return volume_settings_for(info.context.installation.pk)


def resolve_exchange_rates(info, filter=None, **page):
    rates = ExchangeRateModel.objects.filter(installation=info.context.installation)
    if filter and filter.get("currency"):
        rates = rates.filter(currency=filter["currency"].strip().upper())
    return paginate(rates, ExchangeRateCountableConnection, sort_by=["-valid_on", "currency", "plan_currency", "pk"], **page)
