import graphene

from saleor_mlm.network.actions.tax_profiles import lock_tax_profile

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..types import Partner
from ..visibility import Access, Visible
from .utils import clean_partner_id


class PartnerTaxProfileLock(BaseMutation):
    partner = graphene.Field(Partner)

    class Arguments:
        partner_id = graphene.ID(required=True)
        locked = graphene.Boolean(required=True, description="True: locked after checking (the partner can no longer change it).")
        reason = graphene.String(description="Kept in the history.")

    class Meta:
        error_type_class = NetworkError
        description = "Lock a partner's tax profile after checking it, or unlock it."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, partner_id, locked, reason=""):
        partner = clean_partner_id(info, partner_id, "partnerId")
        lock_tax_profile(partner, locked=locked, changed_by=info.context.requestor.label, reason=reason or "")
        return cls.success(partner=Visible(partner, Access.MERCHANT))
