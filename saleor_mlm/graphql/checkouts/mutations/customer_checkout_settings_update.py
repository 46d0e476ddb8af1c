import graphene

from saleor_mlm.checkouts.actions import set_checkout_settings
from saleor_mlm.checkouts.models import CheckoutSettings as CheckoutSettingsModel

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import CustomerCheckoutError
from ..types import CustomerCheckoutSettings


class CustomerCheckoutSettingsInput(graphene.InputObjectType):
    channel = graphene.String(description="The Saleor channel's slug.")
    payment_url = graphene.String(description="e.g. {storefront}/checkout?checkout={id}")


class CustomerCheckoutSettingsUpdate(BaseMutation):
    settings = graphene.Field(CustomerCheckoutSettings)

    class Arguments:
        input = CustomerCheckoutSettingsInput(required=True)

    class Meta:
        error_type_class = CustomerCheckoutError
        description = "Set the channel and the payment page of partners' checkouts for customers; fields left out stay as they are."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = CheckoutSettingsModel

    @classmethod
    def perform_mutation(cls, root, info, input):
        row = set_checkout_settings(info.context.installation, channel=input.get("channel"), payment_url=input.get("payment_url"))
        return cls.success(settings=row)
