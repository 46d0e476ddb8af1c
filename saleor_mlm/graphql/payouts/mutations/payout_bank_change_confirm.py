import graphene

from saleor_mlm.payouts.profiles import confirm_bank_change

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import PayoutError
from ..types import PayoutProfile


class PayoutBankChangeConfirm(BaseMutation):
    payout_profile = graphene.Field(PayoutProfile)

    class Arguments:
        partner_id = graphene.ID(required=True)
        note = graphene.String(description="How the change was checked (kept in the history).")

    class Meta:
        error_type_class = PayoutError
        description = "Confirm a partner's changed bank account after checking it: its held payouts are paid by the next execution."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"partner": "partnerId", "confirmed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, partner_id, note=""):
        partner = clean_partner_id(info, partner_id, "partnerId")
        return cls.success(payout_profile=confirm_bank_change(partner, confirmed_by=info.context.requestor.label, note=note or ""))
