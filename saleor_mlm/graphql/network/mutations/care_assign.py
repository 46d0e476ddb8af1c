import graphene

from saleor_mlm.network.actions import assign_care

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..types import CareAssignment
from ..visibility import Access, Visible
from .utils import clean_node, clean_partner_id


class CareAssignInput(graphene.InputObjectType):
    partner_id = graphene.ID(description="The partner to look after (or `customerId`).")
    customer_id = graphene.ID(description="The customer to look after (or `partnerId`).")
    care_partner_id = graphene.ID(required=True, description="The Betreuer.")
    share = graphene.Decimal(description="Share of the volume for the Betreuer, 0 to 1; null: the sponsor's split agreement decides.")
    valid_from = graphene.DateTime(description="Default: now. Ends the current assignment at this moment.")
    reason = graphene.String()


class CareAssign(BaseMutation):
    care_assignment = graphene.Field(CareAssignment)

    class Arguments:
        input = CareAssignInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = "Make a partner the Betreuer of a partner or customer from a moment on."
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = {"care_partner": "carePartnerId", "customer": "customerId", "partner": "partnerId"}

    @classmethod
    def perform_mutation(cls, root, info, input):
        node = clean_node(info, input.get("partner_id"), input.get("customer_id"))
        care_partner = clean_partner_id(info, input["care_partner_id"], "carePartnerId")
        assignment = assign_care(
            node,
            care_partner,
            share=input.get("share"),
            valid_from=input.get("valid_from"),
            set_by=info.context.requestor.label,
            reason=input.get("reason") or "",
        )
        return cls.success(care_assignment=Visible(assignment, Access.MERCHANT))
