import graphene
from graphql import GraphQLError

from saleor_mlm.checkouts.actions import catalogue, checkout_settings, shop_countries
from saleor_mlm.core.errors import DomainError

from ..core.permissions import MlmPermission, PermissionDenied, permission_required, permissions_description
from ..network.visibility import viewer_partner
from .mutations.customer_checkout_create import CustomerCheckoutCreate
from .mutations.customer_checkout_settings_update import CustomerCheckoutSettingsUpdate
from .types import CustomerCheckoutSettings, OfficeCountry, OfficeProduct

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS


def _partners_shop(info):
    """The installation of the signed-in partner; anyone else is refused."""
    context = info.context
    if not context.requestor.is_user or context.installation is None or viewer_partner(context) is None:
        raise PermissionDenied("Log in to the shop as a partner to take orders for customers.")
    return context.installation


def _asking_the_shop(read):
    """The shop's answer; a shop that refused or cannot be reached is an error of the field."""
    try:
        return read()
    except DomainError as error:
        raise GraphQLError(error.message, extensions={"code": str(error.code)}) from None


class CheckoutQueries(graphene.ObjectType):
    office_products = graphene.List(
        graphene.NonNull(OfficeProduct),
        required=True,
        search=graphene.String(description="Part of a name or SKU."),
        first=graphene.Int(default_value=20, description="At most 50."),
        description="The shop's products a visitor of the checkout channel can buy, with their prices. The logged-in partner.",
    )
    office_countries = graphene.List(
        graphene.NonNull(OfficeCountry), required=True, description="The countries the checkout channel ships to. The logged-in partner."
    )
    customer_checkout_settings = graphene.Field(
        CustomerCheckoutSettings, description="The channel and the payment page of partners' checkouts for customers." + permissions_description([MANAGE_ORDERS])
    )

    @staticmethod
    def resolve_office_products(root, info, search=None, first=20):
        installation = _partners_shop(info)
        return _asking_the_shop(lambda: catalogue(installation, search or "", first))

    @staticmethod
    def resolve_office_countries(root, info):
        installation = _partners_shop(info)
        return [OfficeCountry(code=code, name=name) for code, name in _asking_the_shop(lambda: shop_countries(installation))]

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_customer_checkout_settings(root, info):
        return checkout_settings(info.context.installation)


class CheckoutMutations(graphene.ObjectType):
    customer_checkout_create = CustomerCheckoutCreate.Field()
    customer_checkout_settings_update = CustomerCheckoutSettingsUpdate.Field()
