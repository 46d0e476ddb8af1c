import graphene

from saleor_mlm.plans.actions import update_plan_draft
from saleor_mlm.plans.models import PlanVersion as PlanVersionModel

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PeriodError
from ..types import PlanVersion
from .plan_version_create import PlanVersionInput
from .utils import clean_document, clean_plan_version_id


class PlanVersionUpdate(BaseMutation):
    plan_version = graphene.Field(PlanVersion)

    class Arguments:
        id = graphene.ID(required=True, description="A draft.")
        input = PlanVersionInput(required=True, description="What to change; left out: unchanged.")

    class Meta:
        error_type_class = PeriodError
        description = "Change a draft's name or document (active and retired versions are frozen); the document is validated again."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = PlanVersionModel
        error_field_map = {"plan_version": "id", "updated_by": None}

    @classmethod
    def perform_mutation(cls, root, info, id, input):
        version = clean_plan_version_id(info, id, "id")
        document = clean_document(input.get("document"), input.get("document_text"), required=False)
        version = update_plan_draft(version, info.context.requestor.label, name=input.get("name"), document=document)
        return cls.success(plan_version=version)
