import graphene

from saleor_mlm.payouts.actions import place_payout_hold

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import PeriodError
from ..types import PayoutHold
from .utils import clean_month, last_day


class PayoutHoldSetInput(graphene.InputObjectType):
    partner_id = graphene.ID(required=True)
    reason = graphene.String(required=True)
    starts_on = graphene.String(description="The first month held (YYYY-MM); default: the first month not committed yet.")
    ends_on = graphene.String(description="The last month held (YYYY-MM); default: until released.")


class PayoutHoldSet(BaseMutation):
    payout_hold = graphene.Field(PayoutHold)

    class Arguments:
        input = PayoutHoldSetInput(required=True)

    class Meta:
        error_type_class = PeriodError
        description = "Stop payouts to a partner for a range of months: balances are carried forward, not lost."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"partner": "partnerId", "created_by": None}

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = clean_partner_id(info, input["partner_id"], "partnerId")
        starts_on = clean_month(input.get("starts_on"), "startsOn")
        ends_on = clean_month(input.get("ends_on"), "endsOn")
        hold = place_payout_hold(
            info.context.installation,
            partner,
            input["reason"],
            info.context.requestor.label,
            starts_on=starts_on,
            ends_on=last_day(ends_on) if ends_on else None,
        )
        return cls.success(payout_hold=hold)
