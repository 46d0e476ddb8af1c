import graphene

from saleor_mlm.payout_runs.runs import start_execution
from saleor_mlm.payout_runs.tasks import enqueue_execution

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PayoutError
from ..types import PayoutRun
from .utils import clean_run_id


class PayoutRunExecute(BaseMutation):
    payout_run = graphene.Field(PayoutRun, description="EXECUTING; the Transfers and the SEPA file follow in the background.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = PayoutError
        description = (
            "Pay an approved run: one Stripe Transfer per STRIPE item, one SEPA file with the SEPA items. Again to resume "
            "an interrupted run or to pay partners who were skipped; nothing is paid twice."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"executed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        run = start_execution(info.context.installation, clean_run_id(info, id), info.context.requestor.label)
        enqueue_execution(run.pk, run.executed_by)
        return cls.success(payout_run=run)
