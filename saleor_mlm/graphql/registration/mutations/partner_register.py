import graphene

from saleor_mlm.registration import RegistrationStatus
from saleor_mlm.registration.actions import register_partner
from saleor_mlm.registration.models import PartnerRegistration as RegistrationModel

from ...core.mutations import BaseMutation
from ...network.mutations.utils import require_shop_account
from ...network.tax_profile import TaxProfileInput, profile_input
from ...network.types import Partner
from ...network.visibility import Access, Visible
from ..errors import RegistrationError
from ..types import PartnerRegistration


class PartnerRegisterInput(TaxProfileInput):
    """The tax profile's fields (`TaxProfileInput`) and these."""

    sponsor_referral_code = graphene.String(required=True, description="The code of the partner who invited you (the registration link's).")
    first_name = graphene.String()
    last_name = graphene.String()
    language = graphene.String(description="Default: the request's language. The partner's language, and the terms' text shown.")
    terms_version = graphene.Int(required=True, description="The version of the partner terms you read (`partnerTerms`).")
    accept_terms = graphene.Boolean(required=True, description="You accept that version of the partner terms.")


class PartnerRegister(BaseMutation):
    registration = graphene.Field(PartnerRegistration, description="Your registration: APPROVED with the partner, or PENDING until the company approves it.")
    partner = graphene.Field(Partner, description="The new partner (you), when no approval is needed.")

    class Arguments:
        input = PartnerRegisterInput(required=True)

    class Meta:
        error_type_class = RegistrationError
        description = (
            "Register as a partner under a sponsor's code with your shop account (a Saleor access token; the e-mail is the account's), "
            "your tax profile and the partner terms accepted. The partner office's registration page (/office/join/<code>) calls it."
        )
        input_model = RegistrationModel
        # A shop account that is a partner already: said at the account's e-mail.
        error_field_map = {"saleor_user_id": "email", "customer": "email"}

    @classmethod
    def check_permissions(cls, context):
        require_shop_account(context, "Sign in with your shop account to register as a partner.")

    @classmethod
    def perform_mutation(cls, root, info, input):
        requestor = info.context.requestor
        registration = register_partner(
            info.context.installation,
            saleor_user_id=requestor.user_id,
            email=requestor.email,
            sponsor_referral_code=input.get("sponsor_referral_code") or "",
            first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            language=input.get("language") or info.context.language,
            tax_profile=profile_input(input),
            terms_version=input.get("terms_version"),
            accept_terms=bool(input.get("accept_terms")),
        )
        partner = registration.partner if registration.status == RegistrationStatus.APPROVED else None
        return cls.success(registration=Visible(registration, Access.SELF), partner=Visible(partner, Access.SELF) if partner else None)
