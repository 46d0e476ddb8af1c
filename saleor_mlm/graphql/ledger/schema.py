import graphene

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import attention, credited_orders, resolvers, settings
from .mutations.exchange_rates_import import ExchangeRatesImport
from .mutations.volume_settings_update import VolumeSettingsUpdate
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
    my_credited_orders = graphene.Field(
        credited_orders.CreditedOrderCountableConnection,
        description="The orders whose volume reaches the logged-in partner (its own, its customers', those of customers "
        "it looks after), newest first, with the rule, the split and the refunds; empty for everyone else.",
        **connection_args(period=graphene.String(description="Only orders whose volume went to this month (YYYY-MM).")),
    )

    volume_settings = graphene.Field(
        settings.VolumeSettings,
        required=True,
        description="How order lines turn into PV and BV: the ratio and the metadata keys." + permissions_description([MANAGE_ORDERS]),
    )
    exchange_rates = graphene.Field(
        settings.ExchangeRateCountableConnection,
        description="Daily exchange rates into the plan currency, newest first." + permissions_description([MANAGE_ORDERS]),
        **connection_args(filter=settings.ExchangeRateFilterInput()),
    )

    @staticmethod
    def resolve_my_credited_orders(root, info, **kwargs):
        return credited_orders.resolve_my_credited_orders(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_volume_settings(root, info):
        return settings.resolve_volume_settings(info)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_exchange_rates(root, info, **kwargs):
        return settings.resolve_exchange_rates(info, **kwargs)

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


class LedgerMutations(graphene.ObjectType):
    volume_settings_update = VolumeSettingsUpdate.Field()
    exchange_rates_import = ExchangeRatesImport.Field()
