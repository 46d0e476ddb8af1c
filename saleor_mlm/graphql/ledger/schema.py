import graphene

from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .types import OrderAttribution

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS


class LedgerQueries(graphene.ObjectType):
    order_attribution = graphene.Field(
        OrderAttribution,
        order_id=graphene.ID(required=True, description="Saleor's order id (as the order details widget gets it)."),
        description="Who a Saleor order was credited to, by which rule, with what PV/BV per line, what refunds took back "
        "and why it waits if it is parked; null for an order the app never received." + permissions_description([MANAGE_ORDERS]),
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_order_attribution(root, info, order_id):
        return resolvers.resolve_order_attribution(info, order_id)
