import graphene

from saleor_mlm.payout_runs.sepa_files import mark_file_executed

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PayoutError
from ..types import SepaFile
from .utils import clean_sepa_file_id


class SepaFileMarkExecuted(BaseMutation):
    sepa_file = graphene.Field(SepaFile)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = PayoutError
        description = "The bank executed the SEPA file: its transfers are paid (record rejected ones with sepaFileRejectItems)."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"executed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        return cls.success(sepa_file=mark_file_executed(clean_sepa_file_id(info, id), info.context.requestor.label))
