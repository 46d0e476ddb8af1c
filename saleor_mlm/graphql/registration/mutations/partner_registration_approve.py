import graphene

from saleor_mlm.registration.actions import approve_registration

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.types import Partner
from ...network.visibility import Access, Visible
from ..errors import RegistrationError
from ..types import PartnerRegistration
from .utils import clean_registration_id


class PartnerRegistrationApprove(BaseMutation):
    registration = graphene.Field(PartnerRegistration)
    partner = graphene.Field(Partner, description="The partner created, active.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        error_type_class = RegistrationError
        description = (
            "Approve a registration waiting for approval: the partner is created under its sponsor, with its tax profile and "
            "its acceptance of the terms, by the rules of enrollment as they are now (a sponsor terminated since is refused)."
        )
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = {"sponsor_referral_code": "id", "email": "id", "saleor_user_id": "id", "customer": "id"}

    @classmethod
    def perform_mutation(cls, root, info, id):
        registration = approve_registration(clean_registration_id(info, id), decided_by=info.context.requestor.label)
        return cls.success(registration=Visible(registration, Access.MERCHANT), partner=Visible(registration.partner, Access.MERCHANT))
