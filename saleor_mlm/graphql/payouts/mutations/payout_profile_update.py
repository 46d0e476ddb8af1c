import graphene

from saleor_mlm.payouts.profiles import set_payout_profile

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import PayoutError
from ..profile_input import INPUT_MODEL, PayoutProfileInput, profile_input
from ..types import PayoutProfile


class PayoutProfileUpdate(BaseMutation):
    payout_profile = graphene.Field(PayoutProfile)

    class Arguments:
        partner_id = graphene.ID(required=True)
        input = PayoutProfileInput(required=True)

    class Meta:
        error_type_class = PayoutError
        description = "Set a partner's payout method and bank account for it; kept in the profile's history."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = INPUT_MODEL
        error_field_map = {"changed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, partner_id, input):
        partner = clean_partner_id(info, partner_id, "partnerId")
        profile = set_payout_profile(partner, profile_input(input), changed_by=info.context.requestor.label, by_partner=False)
        return cls.success(payout_profile=profile)
