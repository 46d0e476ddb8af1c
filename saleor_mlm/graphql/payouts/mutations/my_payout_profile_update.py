import graphene

from saleor_mlm.payouts.profiles import set_payout_profile

from ...network.partner_mutation import PartnerMutation
from ..errors import PayoutError
from ..profile_input import INPUT_MODEL, PayoutProfileInput, profile_input
from ..types import PayoutProfile


class MyPayoutProfileUpdate(PartnerMutation):
    log_in_message = "Log in to the shop as a partner to set your payout details."
    not_a_partner_message = "Only partners are paid out."

    payout_profile = graphene.Field(PayoutProfile)

    class Arguments:
        input = PayoutProfileInput(required=True)

    class Meta:
        error_type_class = PayoutError
        description = (
            "A partner sets how it is paid (logged in to the shop). A changed IBAN holds the next payout until the merchant "
            "confirms it; STRIPE is set up with payoutAccountLink."
        )
        input_model = INPUT_MODEL
        error_field_map = {"changed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = cls.own_partner(info)
        profile = set_payout_profile(partner, profile_input(input), changed_by=info.context.requestor.label, by_partner=True)
        return cls.success(payout_profile=profile)
