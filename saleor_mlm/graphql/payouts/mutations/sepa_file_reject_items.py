import graphene

from saleor_mlm.payout_runs.sepa_files import reject_items

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PayoutError
from ..types import PayoutItem
from .utils import clean_sepa_file_id


class SepaFileRejectItems(BaseMutation):
    payout_items = graphene.List(graphene.NonNull(PayoutItem), description="The items now RETURNED.")

    class Arguments:
        id = graphene.ID(required=True)
        end_to_end_ids = graphene.List(graphene.NonNull(graphene.String), required=True, description="The credit note numbers the bank names.")
        reason = graphene.String(required=True, description="The bank's reason (e.g. AC04 account closed).")

    class Meta:
        error_type_class = PayoutError
        description = (
            "Transfers of a SEPA file the bank rejected or returned: their credit notes are cancelled and the amounts go back "
            "onto the partners' balances (the open period's adjustments)."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"end_to_end_ids": "endToEndIds", "actor": None}

    @classmethod
    def perform_mutation(cls, root, info, id, end_to_end_ids, reason):
        items = reject_items(clean_sepa_file_id(info, id), end_to_end_ids, reason=reason, rejected_by=info.context.requestor.label)
        return cls.success(payout_items=items)
