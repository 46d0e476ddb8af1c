import graphene

from saleor_mlm.periods.ranks import remove_rank_override

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from .utils import clean_rank_override_id


class RankOverrideRemove(BaseMutation):
    removed = graphene.Boolean(required=True)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="Kept in the audit log.")

    class Meta:
        error_type_class = PeriodError
        description = "Remove a rank override of an open period: the calculated rank counts again."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"removed_by": None}

    @classmethod
    def mutate(cls, root, info, **data):
        response = super().mutate(root, info, **data)
        if response.errors:
            response.removed = False
        return response

    @classmethod
    def perform_mutation(cls, root, info, id, reason):
        override = clean_rank_override_id(info, id, "id")
        remove_rank_override(info.context.installation, override, info.context.requestor.label, reason)
        return cls.success(removed=True)
