import graphene

from saleor_mlm.periods.actions import reopen_period

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import Period
from .utils import clean_period_id


class PeriodReopen(BaseMutation):
    period = graphene.Field(Period)

    class Arguments:
        id = graphene.ID(required=True, description="A closed or approved period, the latest settled one.")
        reason = graphene.String(required=True, description="Kept in the audit log.")

    class Meta:
        error_type_class = PeriodError
        description = "Take a closed or approved period back to open: its figures and balances are dropped; it takes ledger entries again."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "id", "reopened_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id, reason):
        period = reopen_period(info.context.installation, clean_period_id(info, id, "id"), info.context.requestor.label, reason)
        return cls.success(period=period)
