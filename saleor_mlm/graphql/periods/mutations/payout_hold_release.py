import graphene

from saleor_mlm.payouts.actions import release_payout_hold

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import PayoutHold
from .utils import clean_payout_hold_id


class PayoutHoldRelease(BaseMutation):
    payout_hold = graphene.Field(PayoutHold)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        error_type_class = PeriodError
        description = "End a payout hold: periods from the first uncommitted one on pay out again, with what was carried forward."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"hold": "id", "released_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id, reason):
        hold = release_payout_hold(clean_payout_hold_id(info, id, "id"), info.context.requestor.label, reason)
        return cls.success(payout_hold=hold)
