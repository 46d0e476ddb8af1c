import graphene

from saleor_mlm.periods.whatif import DEFAULT_TOP, start_what_if

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import PeriodRun
from .utils import clean_period_id, clean_plan_version_id


class WhatIfRun(BaseMutation):
    run = graphene.Field(PeriodRun, description="The what-if run, in the background: poll it; `whatIf` holds the comparison once it succeeded.")

    class Arguments:
        period_id = graphene.ID(required=True, description="A period with figures (closed, or previewed).")
        plan_version_id = graphene.ID(required=True, description="The plan to compare, usually a draft.")
        top = graphene.Int(default_value=DEFAULT_TOP, description="How many of the most changed partners to list (1 to 1000).")

    class Meta:
        error_type_class = PeriodError
        description = "Compare a plan version with the plan a period ran with, on exactly the same network and volumes."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"period": "periodId", "plan_version": "planVersionId", "requested_by": None}

    @classmethod
    def perform_mutation(cls, root, info, period_id, plan_version_id, top=DEFAULT_TOP):
        period = clean_period_id(info, period_id, "periodId")
        version = clean_plan_version_id(info, plan_version_id, "planVersionId")
        run = start_what_if(info.context.installation, period, version, info.context.requestor.label, top=top)
        return cls.success(run=run)
