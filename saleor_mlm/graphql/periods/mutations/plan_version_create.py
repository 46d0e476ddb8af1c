import graphene

from saleor_mlm.plans.actions import create_plan_version
from saleor_mlm.plans.models import PlanVersion as PlanVersionModel

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...core.types import JSON
from ...programs.mutations.utils import clean_program_id
from ..errors import PeriodError
from ..types import PlanVersion
from .utils import clean_document


class PlanVersionInput(graphene.InputObjectType):
    name = graphene.String(description="The version's name, e.g. 'Career plan 2027'.")
    document = JSON(description="The plan document as JSON (docs/compensation.md, section 5).")
    document_text = graphene.String(description="The plan document as YAML or JSON text, instead of `document`.")
    program_id = graphene.ID(description="The program whose plan it is (create only); the default program when omitted.")


class PlanVersionCreate(BaseMutation):
    plan_version = graphene.Field(PlanVersion)

    class Arguments:
        input = PlanVersionInput(required=True)

    class Meta:
        error_type_class = PeriodError
        description = (
            "Store a draft plan version. An invalid document is kept (work in progress) with its `validationErrors`; "
            "it cannot be activated until it is valid."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = PlanVersionModel
        error_field_map = {"created_by": None, "program": "programId"}

    @classmethod
    def perform_mutation(cls, root, info, input):
        document = clean_document(input.get("document"), input.get("document_text"), required=True)
        program = clean_program_id(info, input["program_id"], "programId") if input.get("program_id") else None
        version = create_plan_version(info.context.installation, input.get("name") or "", document, info.context.requestor.label, program)
        return cls.success(plan_version=version)
