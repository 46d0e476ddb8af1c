import graphene

from saleor_mlm.network.actions import unassign_care

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..types import CareAssignment
from ..visibility import Access, Visible
from .utils import clean_node


class CareUnassign(BaseMutation):
    care_assignment = graphene.Field(CareAssignment, description="The assignment that was ended; null when there was none.")

    class Arguments:
        partner_id = graphene.ID()
        customer_id = graphene.ID()
        valid_to = graphene.DateTime(description="Default: now.")
        reason = graphene.String()

    class Meta:
        error_type_class = NetworkError
        description = "End the current Betreuer assignment of a partner or customer."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, partner_id=None, customer_id=None, valid_to=None, reason=None):
        node = clean_node(info, partner_id, customer_id)
        ended = unassign_care(node, valid_to=valid_to, set_by=info.context.requestor.label, reason=reason or "")
        return cls.success(care_assignment=Visible(ended, Access.MERCHANT) if ended else None)
