import graphene
from django.core.exceptions import ValidationError

from saleor_mlm.plans.documents import parse_document, validation_errors

from ...core.errors import ApiErrorCode
from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...core.types import JSON
from ..errors import PeriodError
from ..types import PlanValidationMessage, PlanVersion
from .utils import clean_document, clean_plan_version_id


class PlanVersionValidate(BaseMutation):
    valid = graphene.Boolean(required=True)
    validation_errors = graphene.List(graphene.NonNull(PlanValidationMessage), required=True, description="Each with its key path.")
    plan_version = graphene.Field(PlanVersion, description="The version validated, when one was given by `id`.")

    class Arguments:
        id = graphene.ID(description="A stored version; or give the document.")
        document = JSON(description="A plan document to check without storing it.")
        document_text = graphene.String(description="A plan document as YAML or JSON text.")

    class Meta:
        error_type_class = PeriodError
        description = "Check a plan document with the engine's plan loader, by the same key paths it reports. Writes nothing."
        permissions = (MlmPermission.MANAGE_ORDERS,)

    @classmethod
    def perform_mutation(cls, root, info, id=None, document=None, document_text=None):
        given = clean_document(document, document_text, required=False)
        if (id is None) == (given is None):
            raise ValidationError({"id": ValidationError("Give either `id` or the document.", code=ApiErrorCode.INVALID)})
        version = clean_plan_version_id(info, id, "id") if id is not None else None
        errors = validation_errors(version.document if version is not None else parse_document(given))
        return cls.success(
            valid=not errors,
            validation_errors=[PlanValidationMessage(key=error["key"], message=error["message"]) for error in errors],
            plan_version=version,
        )
