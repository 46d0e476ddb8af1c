import graphene

from saleor_mlm.network.actions import set_split_agreement

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..types import SplitAgreement
from ..visibility import Access, Visible
from .utils import clean_partner_id


class SplitAgreementSetInput(graphene.InputObjectType):
    partner_id = graphene.ID(required=True, description="The recruiting partner.")
    share = graphene.Decimal(required=True, description="Share its recruits' Betreuer receive, 0 to 1.")
    valid_from = graphene.DateTime(description="Default: now. An earlier agreement ends at this moment.")
    valid_to = graphene.DateTime(description="Default: open-ended.")
    note = graphene.String()


class SplitAgreementSet(BaseMutation):
    split_agreement = graphene.Field(SplitAgreement)

    class Arguments:
        input = SplitAgreementSetInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = "Set the share a recruiting partner gives to the Betreuer of its recruits, for a time range."
        permissions = (MlmPermission.MANAGE_USERS,)

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = clean_partner_id(info, input["partner_id"], "partnerId")
        agreement = set_split_agreement(
            partner,
            input["share"],
            valid_from=input.get("valid_from"),
            valid_to=input.get("valid_to"),
            set_by=info.context.requestor.label,
            note=input.get("note") or "",
        )
        return cls.success(split_agreement=Visible(agreement, Access.MERCHANT))
