import graphene

from saleor_mlm.network.actions.tax_profiles import set_tax_profile

from ..errors import NetworkError
from ..partner_mutation import PartnerMutation
from ..tax_profile import INPUT_MODEL, TaxProfile, TaxProfileInput, profile_input


class MyTaxProfileUpdate(PartnerMutation):
    log_in_message = "Log in to the shop as a partner to change your tax profile."
    not_a_partner_message = "Only partners have a tax profile."

    tax_profile = graphene.Field(TaxProfile, description="The new version, valid from today.")

    class Arguments:
        input = TaxProfileInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = (
            "A partner changes its own tax profile (logged in to the shop), valid from today; "
            "refused with TAX_PROFILE_LOCKED once the company has checked and locked it."
        )
        input_model = INPUT_MODEL

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = cls.own_partner(info)
        profile = set_tax_profile(partner, profile_input(input), changed_by=info.context.requestor.label, by_partner=True)
        return cls.success(tax_profile=profile)
