import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from saleor_mlm.checkouts.actions import ADDRESS, create_customer_checkout
from saleor_mlm.checkouts.error_codes import CheckoutErrorCode

from ...core import ratelimit
from ...network.partner_mutation import PartnerMutation
from ..errors import CustomerCheckoutError
from ..types import CustomerCheckout

# Checkouts per partner: more than anyone takes orders on the road, too few to flood the shop.
RATE_LIMIT = 30
RATE_WINDOW_SECONDS = 600


class CustomerCheckoutLineInput(graphene.InputObjectType):
    variant_id = graphene.ID(required=True, description="Saleor's ProductVariant id (officeProducts).")
    quantity = graphene.Int(required=True, description="1 to 999.")


class CustomerCheckoutInput(graphene.InputObjectType):
    email = graphene.String(required=True, description="The customer's e-mail.")
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    company_name = graphene.String()
    street_address_1 = graphene.String(required=True)
    street_address_2 = graphene.String()
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    country_area = graphene.String(description="Where the country's addresses need one (a state, a province).")
    country = graphene.String(required=True, description="ISO 3166-1 alpha-2 (officeCountries).")
    phone = graphene.String(description="International format, +49...")
    lines = graphene.List(graphene.NonNull(CustomerCheckoutLineInput), required=True)


class CustomerCheckoutCreate(PartnerMutation):
    checkout = graphene.Field(CustomerCheckout)

    class Arguments:
        input = CustomerCheckoutInput(required=True)

    class Meta:
        error_type_class = CustomerCheckoutError
        description = (
            "A partner takes an order for a customer (logged in to the shop): a checkout of the shop with the customer's e-mail, "
            "address (shipping and billing) and the products, the partner's own referral code in its metadata and voucher code "
            "applied, and the storefront page where the customer pays it. Paid, the order is credited by the usual rules. "
            f"At most {RATE_LIMIT} checkouts in {RATE_WINDOW_SECONDS // 60} minutes per partner."
        )

    log_in_message = "Log in to the shop as a partner to take orders for customers."
    not_a_partner_message = "Only partners take orders for customers."

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = cls.own_partner(info)
        if not ratelimit.allow(f"customer-checkout:{partner.installation_id}:{partner.pk}", RATE_LIMIT, RATE_WINDOW_SECONDS):
            raise ValidationError(
                _("Too many orders in a short time; try again in a few minutes."), code=CheckoutErrorCode.RATE_LIMITED
            )
        made = create_customer_checkout(
            partner,
            email=input["email"],
            address={name: input.get(name) or "" for name, _saleor, _required in ADDRESS},
            lines=[(line["variant_id"], line["quantity"]) for line in input["lines"]],
        )
        return cls.success(checkout=made)
