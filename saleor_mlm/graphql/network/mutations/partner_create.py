import graphene
from django.core.exceptions import ValidationError

from saleor_mlm.network import TaxStatus
from saleor_mlm.network import models as network_models
from saleor_mlm.network.actions import create_partner

from ...core.errors import ApiErrorCode
from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..enums import TaxStatusEnum
from ..errors import NetworkError
from ..types import Partner
from ..visibility import Access, Visible
from .utils import clean_partner_id, enum_value


class PartnerCreateInput(graphene.InputObjectType):
    email = graphene.String(required=True)
    first_name = graphene.String()
    last_name = graphene.String()
    sponsor_id = graphene.ID(description="The sponsor. Without `sponsorId` and `sponsorReferralCode`: a root partner.")
    sponsor_referral_code = graphene.String(description="The sponsor by its referral code, instead of `sponsorId`.")
    saleor_user_id = graphene.String(description="The partner's Saleor user; a customer of that user becomes the partner.")
    country = graphene.String(description="ISO 3166 code.")
    language = graphene.String(description="Default: de.")
    payout_currency = graphene.String(description="Default: EUR.")
    tax_status = TaxStatusEnum(description="Default: REGULAR.")
    vat_id = graphene.String()
    referral_code = graphene.String(description="Default: a new readable code.")
    enrolled_at = graphene.DateTime(description="Default: now.")
    reason = graphene.String(description="Kept in the history.")


def clean_sponsor(info, data):
    """A Partner (by id), a referral code for the domain to resolve, or None (a root)."""
    if data.get("sponsor_id") and data.get("sponsor_referral_code"):
        raise ValidationError({"sponsorId": ValidationError("Give `sponsorId` or `sponsorReferralCode`, not both.", code=ApiErrorCode.INVALID)})
    if data.get("sponsor_id"):
        return clean_partner_id(info, data["sponsor_id"], "sponsorId")
    return data.get("sponsor_referral_code") or None


class PartnerCreate(BaseMutation):
    partner = graphene.Field(Partner)

    class Arguments:
        input = PartnerCreateInput(required=True)

    class Meta:
        error_type_class = NetworkError
        description = "Create a partner, as root or under a sponsor."
        permissions = (MlmPermission.MANAGE_USERS,)
        input_model = network_models.Partner

    @classmethod
    def error_field_map(cls, data):
        sponsor_field = "sponsorReferralCode" if data["input"].get("sponsor_referral_code") else "sponsorId"
        return {"sponsor": sponsor_field}

    @classmethod
    def perform_mutation(cls, root, info, input):
        partner = create_partner(
            info.context.installation,
            email=input["email"],
            first_name=input.get("first_name") or "",
            last_name=input.get("last_name") or "",
            sponsor=clean_sponsor(info, input),
            saleor_user_id=input.get("saleor_user_id") or "",
            country=input.get("country") or "",
            language=input.get("language") or "de",
            payout_currency=input.get("payout_currency") or "EUR",
            tax_status=enum_value(input.get("tax_status")) or TaxStatus.REGULAR,
            vat_id=input.get("vat_id") or "",
            referral_code=input.get("referral_code") or None,
            enrolled_at=input.get("enrolled_at"),
            created_by=info.context.requestor.label,
            reason=input.get("reason") or "",
        )
        return cls.success(partner=Visible(partner, Access.MERCHANT))
