import graphene

from saleor_mlm.payouts.actions import set_minimum_payout

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...payouts.types import PayoutSettings
from ..errors import PeriodError


class MinimumPayoutSet(BaseMutation):
    payout_settings = graphene.Field(PayoutSettings)

    class Arguments:
        amount = graphene.Decimal(required=True, description="In the plan currency, 0 or more, at most 4 decimal places.")

    class Meta:
        error_type_class = PeriodError
        description = (
            "Set the minimum payout: smaller balances are carried forward. Applies to periods closed from now on. "
            "Kept for existing clients: payoutSettingsUpdate(input: {minimumPayout}) sets it with the other payout settings."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"minimum_payout": "amount", "changed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, amount):
        return cls.success(payout_settings=set_minimum_payout(info.context.installation, amount, info.context.requestor.label))
