"""The period field of `Customer` (mixed into `network.types.Customer`): what the customer
bought in a period, its own PV and BV from the ledger (the default program's entries,
refunds and cancellations taken off). Its sponsor and Betreuer receive their shares of it.

Access as for a partner's volumes (docs/graphql.md): downline access, i.e. the customer's
own partners and their upline; the merchant with MANAGE_ORDERS.
"""

from __future__ import annotations

from decimal import Decimal

import graphene
from django.db.models import Sum

from saleor_mlm.ledger.models import LedgerEntry

from ..core.dataloaders import DataLoader
from ..network.visibility import Access
from . import dataloaders as loaders
from .partner_fields import allowed


class CustomerVolumeByCustomerIdLoader(DataLoader):
    """(pv, bv) per customer in one period (args: the period's id)."""

    def batch_load(self, keys):
        (period_id,) = self.args
        rows = (
            LedgerEntry.objects.filter(period_id=period_id, customer_id__in=keys, program__isnull=True)
            .values("customer_id")
            .annotate(pv=Sum("pv"), bv=Sum("bv"))
            .order_by()
        )
        return {row["customer_id"]: (row["pv"], row["bv"]) for row in rows}

    def missing(self, key):
        return (Decimal(0), Decimal(0))


class CustomerVolume(graphene.ObjectType):
    period = graphene.String(required=True, description="The month (YYYY-MM).")
    pv = graphene.Decimal(required=True, description="PV the customer bought (refunds and cancellations taken off).")
    bv = graphene.Decimal(required=True, description="BV the customer bought (plan currency).")

    class Meta:
        description = "A customer's own volume in a period; its sponsor and Betreuer receive their shares of it."


class CustomerPeriodFields:
    volume = graphene.Field(
        CustomerVolume,
        period=graphene.String(description="A month (YYYY-MM) or a Period id; default: the open period new orders go to."),
        description="What the customer bought in a period. Downline access.",
    )

    @staticmethod
    def resolve_volume(root, info, period=None):
        if not allowed(info, root, Access.DOWNLINE):
            return None
        source = loaders.figures_source(info, period)
        if source is None:
            return None
        if source.period is None:
            pv, bv = Decimal(0), Decimal(0)
        else:
            pv, bv = CustomerVolumeByCustomerIdLoader(info.context, source.period.pk).load_for(root, lambda customer: customer.pk)
        return CustomerVolume(period=source.label, pv=pv, bv=bv)
