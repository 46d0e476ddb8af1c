import graphene

from saleor_mlm.payouts.actions import add_adjustment
from saleor_mlm.payouts.models import BalanceAdjustment

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.mutations.utils import clean_partner_id
from ..errors import PeriodError
from ..types import Adjustment
from .utils import clean_period_id


class AdjustmentCreateInput(graphene.InputObjectType):
    partner_id = graphene.ID(required=True)
    period_id = graphene.ID(required=True, description="An open or closed period.")
    amount = graphene.Decimal(required=True, description="Plan currency; negative takes money away. At most the currency's decimals.")
    reason = graphene.String(required=True)
    approved_by = graphene.String(required=True, description="Who approved it (e-mail): not the person entering it.")


class AdjustmentCreate(BaseMutation):
    adjustment = graphene.Field(Adjustment)

    class Arguments:
        input = AdjustmentCreateInput(required=True)

    class Meta:
        error_type_class = PeriodError
        description = "Add money to (or take it from) a partner's balance of a period, with a reason and a second person's approval."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = BalanceAdjustment
        error_field_map = {"partner": "partnerId", "period": "periodId", "created_by": None}

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = clean_partner_id(info, input["partner_id"], "partnerId")
        period = clean_period_id(info, input["period_id"], "periodId")
        adjustment = add_adjustment(
            info.context.installation, partner, period, input["amount"], input["reason"], input["approved_by"], info.context.requestor.label
        )
        return cls.success(adjustment=adjustment)
