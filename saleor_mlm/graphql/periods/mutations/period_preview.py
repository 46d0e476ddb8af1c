import graphene

from saleor_mlm.periods.actions import preview_period

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import Period, PeriodRun
from .utils import clean_period_id


class PeriodPreview(BaseMutation):
    period = graphene.Field(Period)
    run = graphene.Field(PeriodRun, description="The preview run: poll its `status`, `phase` and `percent`.")

    class Arguments:
        id = graphene.ID(required=True, description="The open period.")

    class Meta:
        error_type_class = PeriodError
        description = "Compute projected figures of an open period as if it closed now (a preview run, in the background)."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "id", "requested_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        period = clean_period_id(info, id, "id")
        run = preview_period(info.context.installation, period, info.context.requestor.label)
        return cls.success(period=run.period, run=run)
