import graphene

from saleor_mlm.periods.actions import commit_period

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import Period
from .utils import clean_period_id


class PeriodCommit(BaseMutation):
    period = graphene.Field(Period)

    class Arguments:
        id = graphene.ID(required=True, description="An approved period; every earlier one is committed.")

    class Meta:
        error_type_class = PeriodError
        description = "Make an approved period final: its balances are ready for payout, career ranks are frozen."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "id", "committed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        period = commit_period(info.context.installation, clean_period_id(info, id, "id"), info.context.requestor.label)
        return cls.success(period=period)
