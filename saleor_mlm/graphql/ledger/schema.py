import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import attention, resolvers
from .types import OrderAttribution

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS


class LedgerQueries(graphene.ObjectType):
    order_attribution = graphene.Field(
        OrderAttribution,
        order_id=graphene.ID(required=True, description="Saleor's order id (as the order details widget gets it)."),
        description="Who a Saleor order was credited to, by which rule, with what PV/BV per line, what refunds took back "
        "and why it waits if it is parked; null for an order the app never received." + permissions_description([MANAGE_ORDERS]),
    )
    parked_orders = graphene.Field(
        attention.ParkedOrderCountableConnection,
        description="Order events that could not be credited yet, with the reason, newest first. They are retried when "
        "what they wait for arrives (`saleor-mlm retry-parked`)." + permissions_description([MANAGE_ORDERS]),
        **connection_args(filter=attention.ParkedOrderFilterInput()),
    )
    unknown_code_orders = graphene.Field(
        attention.UnknownCodeOrderCountableConnection,
        description="Orders credited to a house customer although they carried a referral code nobody had (a typo in a "
        "link, a terminated partner's code), newest first." + permissions_description([MANAGE_ORDERS]),
        **connection_args(filter=attention.UnknownCodeOrderFilterInput()),
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_order_attribution(root, info, order_id):
        return resolvers.resolve_order_attribution(info, order_id)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_parked_orders(root, info, **kwargs):
        return attention.resolve_parked_orders(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_unknown_code_orders(root, info, **kwargs):
        return attention.resolve_unknown_code_orders(info, **kwargs)
