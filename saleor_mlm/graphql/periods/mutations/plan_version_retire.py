import graphene

from saleor_mlm.plans.actions import retire_plan_version

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import PlanVersion
from .utils import clean_plan_version_id


class PlanVersionRetire(BaseMutation):
    plan_version = graphene.Field(PlanVersion)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = PeriodError
        description = "Withdraw a draft, or an active version no settled period has used."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"plan_version": "id", "retired_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id):
        version = retire_plan_version(clean_plan_version_id(info, id, "id"), info.context.requestor.label)
        return cls.success(plan_version=version)
