import graphene

from saleor_mlm.network import TaxStatus
from saleor_mlm.network import models as network_models
from saleor_mlm.network.actions import enroll_customer_as_partner

from ...core.mutations import BaseMutation
from ..enums import TaxStatusEnum
from ..errors import NetworkError
from ..types import Partner
from ..visibility import Access, Visible
from .utils import enum_value, require_shop_account


class PartnerEnrollInput(graphene.InputObjectType):
    sponsor_referral_code = graphene.String(
        description="The code of the partner who invited you; may be left out by a customer who has a sponsor already."
    )
    first_name = graphene.String()
    last_name = graphene.String()
    country = graphene.String(description="ISO 3166 code.")
    language = graphene.String(description="Default: the request's language.")
    payout_currency = graphene.String(description="Default: EUR.")
    tax_status = TaxStatusEnum(description="Default: REGULAR.")
    vat_id = graphene.String()


class PartnerEnroll(BaseMutation):
    partner = graphene.Field(Partner, description="The new partner: you.")

    class Arguments:
        input = PartnerEnrollInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = (
            "Become a partner under a sponsor's code. For storefront users logged in to Saleor (an access token); "
            "the e-mail is the account's."
        )
        input_model = network_models.Partner

    @classmethod
    def check_permissions(cls, context):
        require_shop_account(context, "Log in to the shop to enroll as a partner.")

    @classmethod
    def perform_mutation(cls, root, info, input):
        requestor = info.context.requestor
        partner = enroll_customer_as_partner(
            info.context.installation,
            saleor_user_id=requestor.user_id,
            email=requestor.email,
            sponsor_referral_code=input.get("sponsor_referral_code") or None,
            first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            country=input.get("country") or "",
            language=input.get("language") or info.context.language,
            payout_currency=input.get("payout_currency") or "EUR",
            tax_status=enum_value(input.get("tax_status")) or TaxStatus.REGULAR,
            vat_id=input.get("vat_id") or "",
        )
        return cls.success(partner=Visible(partner, Access.SELF))
