import base64
import binascii

import graphene
from django.core.exceptions import ValidationError

from saleor_mlm.credit_notes.models import CreditNoteSettings as SettingsModel
from saleor_mlm.credit_notes.settings_actions import update_settings

from ...core.errors import ApiErrorCode
from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import CreditNoteError
from ..types import CreditNoteSettings


class CreditNoteSettingsInput(graphene.InputObjectType):
    number_prefix = graphene.String()
    number_start = graphene.Int(description="From the next year (or a year without documents yet).")
    retention_years = graphene.Int(description="8 to 30.")
    issuer_name = graphene.String()
    issuer_street = graphene.String()
    issuer_postal_code = graphene.String()
    issuer_city = graphene.String()
    issuer_country = graphene.String()
    issuer_tax_number = graphene.String()
    issuer_vat_id = graphene.String()
    issuer_email = graphene.String()
    logo_png_base64 = graphene.String(description="The merchant's logo, a PNG, base64; empty to remove it.")


def clean_changes(data) -> dict:
    changes = {name: value for name, value in data.items() if value is not None and name != "logo_png_base64"}
    if data.get("logo_png_base64") is not None:
        try:
            changes["logo_png"] = base64.b64decode(data["logo_png_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"logoPngBase64": ValidationError("Not base64.", code=ApiErrorCode.INVALID)}) from None
    return changes


class CreditNoteSettingsUpdate(BaseMutation):
    settings = graphene.Field(CreditNoteSettings)

    class Arguments:
        input = CreditNoteSettingsInput(required=True)

    class Meta:
        error_type_class = CreditNoteError
        description = "Change the number series, retention and issuer of credit notes; issued ones keep what they show."
        permissions = (MlmPermission.MANAGE_ORDERS,)
        input_model = SettingsModel
        error_field_map = {"logo_png": "logoPngBase64"}

    @classmethod
    def perform_mutation(cls, root, info, input):
        return cls.success(settings=update_settings(info.context.installation.pk, **clean_changes(input)))
