"""A partner's tax profile in the API: the type and the input its mutations share."""

from __future__ import annotations

import graphene

from saleor_mlm.network.actions.tax_profiles import ProfileInput
from saleor_mlm.network.models import TaxProfile as TaxProfileModel

from .enums import TaxStatusEnum
from .mutations.utils import enum_value


class TaxProfile(graphene.ObjectType):
    legal_name = graphene.String(required=True)
    street = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.String(required=True, description="ISO 3166 code.")
    tax_number = graphene.String(required=True, description="Steuernummer (or the country's tax identification number); may be empty.")
    vat_id = graphene.String(required=True, description="May be empty.")
    tax_status = graphene.Field(TaxStatusEnum, required=True)
    valid_from = graphene.Date(required=True, description="A credit note uses the version in force on its issue date.")
    changed_by = graphene.String(required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    class Meta:
        description = "One version of a partner's tax profile (versions are kept, never changed)."

    @staticmethod
    def resolve_country(root: TaxProfileModel, info):
        return root.country.code


class TaxProfileInput(graphene.InputObjectType):
    legal_name = graphene.String(required=True)
    street = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.String(required=True, description="ISO 3166 code.")
    tax_number = graphene.String(description="Steuernummer (checked per country).")
    vat_id = graphene.String(description="Checked with the country's check digits.")
    tax_status = TaxStatusEnum(required=True)


def profile_input(data) -> ProfileInput:
    """The domain's input from the API's."""
    return ProfileInput(
        legal_name=data.get("legal_name") or "",
        street=data.get("street") or "",
        postal_code=data.get("postal_code") or "",
        city=data.get("city") or "",
        country=data.get("country") or "",
        tax_number=data.get("tax_number") or "",
        vat_id=data.get("vat_id") or "",
        tax_status=enum_value(data.get("tax_status")) or "",
    )


# Text inputs named like the model's fields are refused when longer (`Meta.input_model`).
INPUT_MODEL = TaxProfileModel
