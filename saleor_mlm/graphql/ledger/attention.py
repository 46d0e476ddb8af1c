"""Orders a merchant has to look at (ledger.attention): parked order events with their
reasons, and orders credited to a house customer because their referral code was nobody's.
Merchant only (MANAGE_ORDERS); the roots are `ParkedOrderEvent` and `OrderAttribution` rows."""

from __future__ import annotations

import graphene

from saleor_mlm.ledger.attention import carried_referral_code, parked_order_events, referral_key, unknown_code_orders

from ..core.connection import CountableConnection, paginate
from ..network.types import Customer
from ..network.visibility import Access, Visible
from .enums import ParkReasonEnum

# Both lists newest first.
NEWEST_FIRST = ["-created_at", "-id"]


class OrderFields:
    """What both lists show of the Saleor order (`root.order`): its id, number and e-mail.
    A mixin: graphene takes the fields of every class of the type's MRO."""

    order_id = graphene.ID(required=True, description="Saleor's order id.")
    number = graphene.String(description="Saleor's order number.")
    user_email = graphene.String(description="The e-mail on the order.")

    @staticmethod
    def resolve_order_id(root, info):
        return root.order.saleor_order_id

    @staticmethod
    def resolve_number(root, info):
        return root.order.number or None

    @staticmethod
    def resolve_user_email(root, info):
        return root.order.user_email or None


class ParkedOrder(OrderFields, graphene.ObjectType):
    event_kind = graphene.String(required=True, description="The order event waiting (paid, refunded, ...).")
    reason = graphene.Field(ParkReasonEnum, required=True, description="Why it could not be credited yet.")
    message = graphene.String(required=True, description="What exactly is missing or wrong (English).")
    attempts = graphene.Int(required=True, description="How often crediting was tried.")
    parked_at = graphene.DateTime(required=True)
    last_attempt_at = graphene.DateTime(required=True)
    referral_code = graphene.String(description="The referral code the order carried (order or customer metadata), if any.")

    class Meta:
        description = "An order event that could not be credited yet, and why. Retried when what it waits for arrives."

    @staticmethod
    def resolve_event_kind(root, info):
        return root.order_event.kind

    @staticmethod
    def resolve_parked_at(root, info):
        return root.created_at

    @staticmethod
    def resolve_referral_code(root, info):
        return carried_referral_code(root.order, root._mlm_referral_key) or None


class UnknownCodeOrder(OrderFields, graphene.ObjectType):
    referral_code = graphene.String(required=True, description="The referral code the order carried, which no partner had.")
    customer = graphene.Field(
        Customer,
        required=True,
        description="The house customer credited; assign it to the partner meant with `houseCustomerAssign`.",
    )
    pv = graphene.Decimal(required=True, description="PV credited by the paid event.")
    bv = graphene.Decimal(required=True, description="BV credited by the paid event.")
    credited_at = graphene.DateTime(required=True)

    class Meta:
        description = "An order credited to a house customer although it carried a referral code: nobody had that code."

    @staticmethod
    def resolve_referral_code(root, info):
        return root.unknown_referral_code

    @staticmethod
    def resolve_customer(root, info):
        return Visible(root.customer, Access.MERCHANT)

    @staticmethod
    def resolve_credited_at(root, info):
        return root.created_at


class ParkedOrderCountableConnection(CountableConnection):
    class Meta:
        node = ParkedOrder


class UnknownCodeOrderCountableConnection(CountableConnection):
    class Meta:
        node = UnknownCodeOrder


class ParkedOrderFilterInput(graphene.InputObjectType):
    reasons = graphene.List(graphene.NonNull(ParkReasonEnum), description="Any of these reasons.")
    search = graphene.String(description="An order number or Saleor order id.")


class UnknownCodeOrderFilterInput(graphene.InputObjectType):
    referral_code = graphene.String(description="Orders that carried this code (any case).")
    is_house_customer = graphene.Boolean(description="Customers still without a sponsor (true) or assigned since (false).")


def resolve_parked_orders(info, filter=None, **page):
    installation_id = info.context.installation.pk
    parked = parked_order_events(
        installation_id,
        reasons=[getattr(reason, "value", reason) for reason in (filter.reasons or [])] if filter else (),
        search=(filter.search or "") if filter else "",
    )
    key = referral_key(installation_id)

    def with_key(rows):
        for row in rows:
            row._mlm_referral_key = key
        return rows

    return paginate(parked, ParkedOrderCountableConnection, sort_by=NEWEST_FIRST, wrap=with_key, **page)


def resolve_unknown_code_orders(info, filter=None, **page):
    orders = unknown_code_orders(
        info.context.installation.pk,
        code=(filter.referral_code or "") if filter else "",
        house_only=filter.is_house_customer if filter else None,
    )
    return paginate(orders, UnknownCodeOrderCountableConnection, sort_by=NEWEST_FIRST, **page)
