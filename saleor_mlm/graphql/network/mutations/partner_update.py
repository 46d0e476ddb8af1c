import graphene

from saleor_mlm.network import models as network_models
from saleor_mlm.network.actions.partners import update_partner

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..enums import TaxStatusEnum
from ..errors import NetworkError
from ..types import Partner
from ..visibility import Access, Visible
from .utils import clean_partner_id, enum_value


class PartnerUpdateInput(graphene.InputObjectType):
    email = graphene.String()
    first_name = graphene.String()
    last_name = graphene.String()
    country = graphene.String(description="ISO 3166 code.")
    language = graphene.String()
    payout_currency = graphene.String()
    tax_status = TaxStatusEnum()
    vat_id = graphene.String(description="Empty to remove it.")
    referral_code = graphene.String(description="Only until the partner has its voucher code in Saleor (they are one code).")
    reason = graphene.String(description="Kept in the history.")


def clean_fields(data) -> dict:
    """The fields given (null or left out: unchanged), as the domain action takes them."""
    fields = {name: enum_value(value) for name, value in data.items() if name != "reason" and value is not None}
    return fields


class PartnerUpdate(BaseMutation):
    partner = graphene.Field(Partner)

    class Arguments:
        id = graphene.ID(required=True)
        input = PartnerUpdateInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = "Change a partner's details. Fields left out (or null) stay as they are; every change is kept in the history."
        permissions = (MlmPermission.MANAGE_USERS,)
        input_model = network_models.Partner

    @classmethod
    def perform_mutation(cls, root, info, id, input):
        partner = clean_partner_id(info, id, "id")
        update_partner(partner, changed_by=info.context.requestor.label, reason=input.get("reason") or "", **clean_fields(input))
        return cls.success(partner=Visible(partner, Access.MERCHANT))
