import graphene

from saleor_mlm.network.actions.tax_profiles import set_tax_profile

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import NetworkError
from ..tax_profile import INPUT_MODEL, TaxProfile, TaxProfileInput, profile_input
from .utils import clean_partner_id


class PartnerTaxProfileUpdate(BaseMutation):
    tax_profile = graphene.Field(TaxProfile, description="The new version.")

    class Arguments:
        partner_id = graphene.ID(required=True)
        input = TaxProfileInput(required=True)
        valid_from = graphene.Date(description="Default: today.")
        reason = graphene.String(description="Kept with the version.")

    class Meta:
        error_type_class = NetworkError
        description = "Add a version of a partner's tax profile (also when it is locked)."
        permissions = (MlmPermission.MANAGE_USERS,)
        input_model = INPUT_MODEL

    @classmethod
    def perform_mutation(cls, root, info, partner_id, input, valid_from=None, reason=""):
        partner = clean_partner_id(info, partner_id, "partnerId")
        profile = set_tax_profile(
            partner, profile_input(input), changed_by=info.context.requestor.label, by_partner=False, valid_from=valid_from, reason=reason or ""
        )
        return cls.success(tax_profile=profile)
