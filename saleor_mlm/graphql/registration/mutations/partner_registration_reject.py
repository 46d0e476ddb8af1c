import graphene

from saleor_mlm.registration.actions import reject_registration

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ...network.visibility import Access, Visible
from ..errors import RegistrationError
from ..types import PartnerRegistration
from .utils import clean_registration_id


class PartnerRegistrationReject(BaseMutation):
    registration = graphene.Field(PartnerRegistration)

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True, description="Kept with the registration.")

    class Meta:
        error_type_class = RegistrationError
        description = "Reject a registration waiting for approval; nobody is created. The person may register again."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, id, reason):
        registration = reject_registration(clean_registration_id(info, id), decided_by=info.context.requestor.label, reason=reason)
        return cls.success(registration=Visible(registration, Access.MERCHANT))
