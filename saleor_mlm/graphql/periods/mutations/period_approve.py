import graphene

from saleor_mlm.periods.actions import approve_period

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import Period, PeriodRun
from .utils import clean_period_id


class PeriodApprove(BaseMutation):
    period = graphene.Field(Period)
    run = graphene.Field(PeriodRun, description="The close run whose figures were approved.")

    class Arguments:
        id = graphene.ID(required=True, description="A closed period whose close run succeeded.")

    class Meta:
        error_type_class = PeriodError
        description = "Approve a closed period's figures: by someone other than the person who closed it (four eyes)."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "id", "approved_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        period = approve_period(info.context.installation, clean_period_id(info, id, "id"), info.context.requestor.label)
        return cls.success(period=period, run=period.close_run)
