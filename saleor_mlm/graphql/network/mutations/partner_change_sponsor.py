import graphene

from saleor_mlm.network.actions import change_sponsor

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..types import CareAssignment, Partner
from ..visibility import Access, Visible
from .utils import clean_partner_id


def clean_new_sponsor(info, sponsor_id):
    return clean_partner_id(info, sponsor_id, "sponsorId") if sponsor_id else None


class PartnerChangeSponsor(BaseMutation):
    partner = graphene.Field(Partner)
    ended_care = graphene.Field(CareAssignment, description="The care assignment ended because the Betreuer became the sponsor.")

    class Arguments:
        id = graphene.ID(required=True)
        sponsor_id = graphene.ID(description="The new sponsor; null makes the partner a root.")
        reason = graphene.String(required=True, description="Kept in the history.")

    class Meta:
        error_type_class = NetworkError
        description = "Move a partner, with its whole downline, under another sponsor. Refused when it would close a cycle."
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = {"sponsor": "sponsorId"}

    @classmethod
    def perform_mutation(cls, root, info, id, reason, sponsor_id=None):
        partner = clean_partner_id(info, id, "id")
        change = change_sponsor(partner, clean_new_sponsor(info, sponsor_id), changed_by=info.context.requestor.label, reason=reason)
        return cls.success(
            partner=Visible(change.node, Access.MERCHANT),
            ended_care=Visible(change.ended_care, Access.MERCHANT) if change.ended_care else None,
        )
