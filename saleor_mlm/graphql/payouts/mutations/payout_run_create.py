import graphene

from saleor_mlm.payout_runs.runs import create_run

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...periods.mutations.utils import clean_period_id
from ..errors import PayoutError
from ..types import PayoutRun


class PayoutRunCreate(BaseMutation):
    payout_run = graphene.Field(PayoutRun)

    class Arguments:
        period_id = graphene.ID(required=True, description="A committed period.")

    class Meta:
        error_type_class = PayoutError
        description = "List the payouts of a committed period (one per partner with a credit note); another person approves it."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "periodId", "created_by": None}

    @classmethod
    def perform_mutation(cls, root, info, period_id):
        period = clean_period_id(info, period_id, "periodId")
        return cls.success(payout_run=create_run(info.context.installation, period, info.context.requestor.label))
