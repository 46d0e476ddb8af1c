import graphene

from saleor_mlm.network.actions import set_status

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..enums import PartnerStatusEnum
from ..errors import NetworkError
from ..types import Partner
from ..visibility import Access, Visible
from .utils import clean_partner_id, enum_value


class PartnerSetStatus(BaseMutation):
    partner = graphene.Field(Partner)

    class Arguments:
        id = graphene.ID(required=True)
        status = PartnerStatusEnum(required=True)
        reason = graphene.String(description="Required to terminate; kept in the history.")
        reactivate = graphene.Boolean(default_value=False, description="Needed to leave TERMINATED.")

    class Meta:
        error_type_class = NetworkError
        description = "Set a partner active, inactive (\"inaktiv gesetzt\") or terminated. Nobody is moved."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, id, status, reason=None, reactivate=False):
        partner = clean_partner_id(info, id, "id")
        set_status(
            partner,
            enum_value(status),
            changed_by=info.context.requestor.label,
            reason=reason or "",
            reactivate=reactivate,
        )
        return cls.success(partner=Visible(partner, Access.MERCHANT))
