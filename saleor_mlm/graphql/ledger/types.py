"""Types of the ledger part: an order's attribution as the order widget shows it.

The root is the OrderRecord in a `Visible` (see network/visibility.py); `attribution` is
its OrderAttribution (None before the paid event was credited). The merchant
(MANAGE_ORDERS) sees the partners and customers with merchant access; the buyer
(`Order.mlmAttribution` through a federation gateway) sees its own record as itself and
the partner whose code or sponsorship decided with the public profile, and no parked
events (their messages are the merchant's work list).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import graphene

from saleor_mlm.ledger import AttributionRule

from ..network.types import Customer, Partner
from ..network.visibility import Access, Visible
from .enums import AttributionRuleEnum, LedgerEntryKindEnum, ParkReasonEnum

RULE_NAMES = dict(AttributionRule.CHOICES)


def _person(root, person) -> Visible:
    """A partner or customer named by the attribution, with the access the order's
    viewer has to it."""
    if root.access >= Access.MERCHANT:
        return Visible(person, Access.MERCHANT)
    own = bool(person.saleor_user_id) and person.saleor_user_id == root.user_id
    return Visible(person, Access.SELF if own else Access.PUBLIC)


class OrderAttributionLine(graphene.ObjectType):
    line_id = graphene.String(required=True, description="Saleor's order line id.")
    sku = graphene.String()
    quantity = graphene.Int()
    pv = graphene.Decimal(required=True, description="PV credited for the line.")
    bv = graphene.Decimal(required=True, description="BV credited for the line (plan currency).")
    pv_source = graphene.String(description="Where the PV came from: variant, product or price.")
    bv_source = graphene.String(description="Where the BV came from: variant, product or price.")

    class Meta:
        description = "One order line as credited (the snapshot refunds take back from)."


class OrderLedgerTotal(graphene.ObjectType):
    kind = graphene.Field(LedgerEntryKindEnum, required=True)
    entries = graphene.Int(required=True, description="How many ledger entries of this kind.")
    pv = graphene.Decimal(required=True, description="Sum of their PV (negative for refunds and cancellations).")
    bv = graphene.Decimal(required=True, description="Sum of their BV.")

    class Meta:
        description = "The ledger entries of an order of one kind, summed."


class OrderParkedEvent(graphene.ObjectType):
    event_kind = graphene.String(required=True, description="The order event waiting (paid, refunded, ...).")
    reason = graphene.Field(ParkReasonEnum, required=True)
    message = graphene.String(required=True)
    attempts = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        description = "An order event that could not be credited yet, and why."


class OrderAttribution(graphene.ObjectType):
    order_id = graphene.ID(required=True, description="Saleor's order id.")
    number = graphene.String(description="Saleor's order number.")
    credited = graphene.Boolean(required=True, description="Whether the paid event was credited (an attribution exists).")
    rule = graphene.Field(AttributionRuleEnum, description="The rule that decided; null before the order was credited.")
    rule_name = graphene.String(description="The rule in words (English).")
    partner = graphene.Field(Partner, description="The partner credited (a partner bought), else null.")
    customer = graphene.Field(
        Customer,
        description="The customer credited, else null; its `sponsor` and `care` (Betreuer with `effectiveShare`, "
        "as in force now) are the partners its volume reaches.",
    )
    via_partner = graphene.Field(Partner, description="For a customer: the partner whose code or sponsorship decided.")
    period = graphene.String(description="The period (YYYY-MM) the order's volume went to.")
    order_currency = graphene.String()
    plan_currency = graphene.String()
    exchange_rate = graphene.Decimal(description="The rate used for price-based BV; null when none was needed.")
    lines = graphene.List(graphene.NonNull(OrderAttributionLine), required=True, description="Per line PV/BV credited.")
    pv = graphene.Decimal(description="Total PV credited by the paid event.")
    bv = graphene.Decimal(description="Total BV credited by the paid event.")
    ledger = graphene.List(
        graphene.NonNull(OrderLedgerTotal), required=True, description="The order's ledger entries by kind (order, refund, cancellation, adjustment)."
    )
    net_pv = graphene.Decimal(required=True, description="PV remaining after refunds and cancellations (sum of all entries).")
    net_bv = graphene.Decimal(required=True, description="BV remaining (sum of all entries).")
    parked = graphene.List(graphene.NonNull(OrderParkedEvent), required=True, description="Events of the order parked and not resolved.")

    class Meta:
        description = "Who an order was credited to, by which rule, with what; refunds taken back; why it waits, if it does."

    @staticmethod
    def resolve_order_id(root, info):
        return root.saleor_order_id

    @staticmethod
    def resolve_number(root, info):
        return root.number or None

    @staticmethod
    def resolve_credited(root, info):
        return root._mlm_attribution is not None

    @staticmethod
    def resolve_rule(root, info):
        return root._mlm_attribution.rule if root._mlm_attribution else None

    @staticmethod
    def resolve_rule_name(root, info):
        return RULE_NAMES.get(root._mlm_attribution.rule) if root._mlm_attribution else None

    @staticmethod
    def resolve_partner(root, info):
        a = root._mlm_attribution
        return _person(root, a.partner) if a and a.partner_id else None

    @staticmethod
    def resolve_customer(root, info):
        a = root._mlm_attribution
        return _person(root, a.customer) if a and a.customer_id else None

    @staticmethod
    def resolve_via_partner(root, info):
        a = root._mlm_attribution
        return _person(root, a.via_partner) if a and a.via_partner_id else None

    @staticmethod
    def resolve_period(root, info):
        return root._mlm_attribution.period.label if root._mlm_attribution else None

    @staticmethod
    def resolve_order_currency(root, info):
        return root._mlm_attribution.order_currency if root._mlm_attribution else root.currency

    @staticmethod
    def resolve_plan_currency(root, info):
        return root._mlm_attribution.plan_currency if root._mlm_attribution else None

    @staticmethod
    def resolve_exchange_rate(root, info):
        return root._mlm_attribution.exchange_rate if root._mlm_attribution else None

    @staticmethod
    def resolve_lines(root, info):
        a = root._mlm_attribution
        if not a:
            return []
        return [
            OrderAttributionLine(
                line_id=line.get("line_id", ""),
                sku=line.get("sku"),
                quantity=line.get("quantity"),
                pv=Decimal(str(line.get("pv", "0"))),
                bv=Decimal(str(line.get("bv", "0"))),
                pv_source=line.get("pv_source"),
                bv_source=line.get("bv_source"),
            )
            for line in a.lines
        ]

    @staticmethod
    def resolve_pv(root, info):
        return root._mlm_attribution.pv if root._mlm_attribution else None

    @staticmethod
    def resolve_bv(root, info):
        return root._mlm_attribution.bv if root._mlm_attribution else None

    @staticmethod
    def resolve_ledger(root, info):
        totals: dict[str, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
        for entry in root._mlm_entries:
            total = totals[entry.kind]
            total[0] += 1
            total[1] += entry.pv
            total[2] += entry.bv
        return [OrderLedgerTotal(kind=kind, entries=n, pv=pv, bv=bv) for kind, (n, pv, bv) in totals.items()]

    @staticmethod
    def resolve_net_pv(root, info):
        return sum((entry.pv for entry in root._mlm_entries), Decimal(0))

    @staticmethod
    def resolve_net_bv(root, info):
        return sum((entry.bv for entry in root._mlm_entries), Decimal(0))

    @staticmethod
    def resolve_parked(root, info):
        if root.access < Access.MERCHANT:
            return []
        return [
            OrderParkedEvent(
                event_kind=p.order_event.kind, reason=p.reason, message=p.message, attempts=p.attempts, created_at=p.created_at
            )
            for p in root._mlm_parked
        ]
