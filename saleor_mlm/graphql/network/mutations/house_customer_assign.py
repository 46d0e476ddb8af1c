import graphene

from saleor_mlm.network.actions import assign_house_customer

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..types import Customer
from ..visibility import Access, Visible
from .utils import clean_customer_id, clean_partner_id


class HouseCustomerAssign(BaseMutation):
    customer = graphene.Field(Customer)

    class Arguments:
        customer_id = graphene.ID(required=True)
        sponsor_id = graphene.ID(required=True)
        reason = graphene.String()

    class Meta:
        error_type_class = NetworkError
        description = "Attach a house customer (no sponsor) to a partner. A customer with a sponsor is refused (customer protection)."
        permissions = (MlmPermission.MANAGE_USERS,)
        error_field_map = {"sponsor": "sponsorId", "customer": "customerId"}

    @classmethod
    def perform_mutation(cls, root, info, customer_id, sponsor_id, reason=None):
        customer = clean_customer_id(info, customer_id, "customerId")
        sponsor = clean_partner_id(info, sponsor_id, "sponsorId")
        change = assign_house_customer(customer, sponsor, changed_by=info.context.requestor.label, reason=reason or "")
        return cls.success(customer=Visible(change.node, Access.MERCHANT))
