import graphene

from saleor_mlm.plans.actions import activate_plan_version

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import PlanVersion
from .utils import clean_plan_version_id


class PlanVersionActivate(BaseMutation):
    plan_version = graphene.Field(PlanVersion)

    class Arguments:
        id = graphene.ID(required=True, description="A valid draft.")
        in_force_from = graphene.String(required=True, description="The first month it is in force (YYYY-MM); after every settled period.")

    class Meta:
        error_type_class = PeriodError
        description = "Put a valid draft in force from the first day of a month, until the next active version starts. Freezes it."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {"plan_version": "id", "activated_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id, in_force_from):
        version = activate_plan_version(clean_plan_version_id(info, id, "id"), in_force_from, info.context.requestor.label)
        return cls.success(plan_version=version)
