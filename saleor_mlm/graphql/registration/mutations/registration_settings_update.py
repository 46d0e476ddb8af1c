import graphene

from saleor_mlm.registration.terms import publish_terms, set_approval_required

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import RegistrationError
from ..resolvers import resolve_registration_settings
from ..types import RegistrationSettings


class PartnerTermsInput(graphene.InputObjectType):
    language = graphene.String(required=True, description="de, en ...")
    text = graphene.String(required=True)


class RegistrationSettingsInput(graphene.InputObjectType):
    approval_required = graphene.Boolean(description="Registrations wait for your approval before the partner is created.")
    terms = graphene.List(
        graphene.NonNull(PartnerTermsInput),
        description="Publish a new version of the partner terms, a text per language; registrations from now on accept it.",
    )


class RegistrationSettingsUpdate(BaseMutation):
    settings = graphene.Field(RegistrationSettings)

    class Arguments:
        input = RegistrationSettingsInput(required=True)

    class Meta:
        error_type_class = RegistrationError
        description = "Online registration: whether you approve each registration, and a new version of the partner terms; fields left out stay as they are."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, input):
        installation_id = info.context.installation.pk
        label = info.context.requestor.label
        if input.get("approval_required") is not None:
            set_approval_required(installation_id, input["approval_required"], changed_by=label)
        if input.get("terms") is not None:
            publish_terms(installation_id, {item["language"]: item["text"] for item in input["terms"]}, published_by=label)
        return cls.success(settings=resolve_registration_settings(info))
