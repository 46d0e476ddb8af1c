import graphene

from saleor_mlm.periods.actions import close_period

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import Period, PeriodRun
from .utils import clean_period_id


class PeriodClose(BaseMutation):
    period = graphene.Field(Period)
    run = graphene.Field(PeriodRun, description="The close run, started in the background: poll its `status`, `phase` and `percent`.")

    class Arguments:
        id = graphene.ID(required=True, description="The open period (its last day is over), or a closed one whose run failed.")

    class Meta:
        error_type_class = PeriodError
        description = (
            "Close a period: it takes no more ledger entries (later ones go to the next period) and its close run starts. "
            "Closing a closed period whose run has not succeeded resumes that run."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "id", "closed_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        period = clean_period_id(info, id, "id")
        run = close_period(info.context.installation, period, info.context.requestor.label)
        run.period.refresh_from_db()
        return cls.success(period=run.period, run=run)
