import graphene

from saleor_mlm.payout_runs.runs import approve_run

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PayoutError
from ..types import PayoutRun
from .utils import clean_run_id


class PayoutRunApprove(BaseMutation):
    payout_run = graphene.Field(PayoutRun)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = PayoutError
        description = "Approve a payout run: by someone other than the person who created it (four eyes)."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"approved_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        run = clean_run_id(info, id)
        return cls.success(payout_run=approve_run(info.context.installation, run, info.context.requestor.label))
