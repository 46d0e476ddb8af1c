"""Registration in the API: the terms, the settings, registrations and acceptances."""

from __future__ import annotations

import graphene

from ..core.connection import CountableConnection
from ..network.dataloaders import PartnerByIdLoader
from ..network.enums import TaxStatusEnum
from ..network.types import Partner
from ..network.visibility import Access, Visible
from .enums import RegistrationStatusEnum


class PartnerTerms(graphene.ObjectType):
    version = graphene.Int(required=True, description="Numbered from 1; each publication is a new version.")
    language = graphene.String(required=True, description="The language of this text (de, en ...).")
    text = graphene.String(required=True)
    published_at = graphene.DateTime(required=True)

    class Meta:
        description = "The text of the merchant's partner terms in one language of one version (never changed)."


class RegistrationSettings(graphene.ObjectType):
    approval_required = graphene.Boolean(required=True, description="Registrations wait for the merchant's approval before the partner is created.")
    terms_version = graphene.Int(description="The newest version of the partner terms; null before the first is published (registration is closed).")
    terms = graphene.List(graphene.NonNull(PartnerTerms), required=True, description="The newest version's texts, one per language.")
    terms_published_by = graphene.String()
    updated_at = graphene.DateTime()


class PartnerRegistration(graphene.ObjectType):
    status = graphene.Field(RegistrationStatusEnum, required=True)
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    language = graphene.String(required=True)
    sponsor = graphene.Field(Partner, description="Merchant only.")
    sponsor_name = graphene.String(description="The sponsor's name (nothing else of the sponsor), for the person registering.")
    legal_name = graphene.String(required=True)
    street = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    city = graphene.String(required=True)
    country = graphene.String(required=True)
    tax_number = graphene.String(required=True)
    vat_id = graphene.String(required=True)
    tax_status = graphene.Field(TaxStatusEnum, required=True)
    terms_version = graphene.Int(required=True)
    terms_accepted_at = graphene.DateTime(required=True)
    partner = graphene.Field(Partner, description="The partner created when the registration was approved (merchant only).")
    decided_by = graphene.String(description="Merchant only.")
    decided_at = graphene.DateTime()
    decision_reason = graphene.String(description="Why it was rejected.")
    created_at = graphene.DateTime(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "A registration from the partner office: what the person entered, the terms accepted, the merchant's decision."

    @staticmethod
    def resolve_country(root: Visible, info):
        return root.country.code

    @staticmethod
    def resolve_sponsor(root: Visible, info):
        if root.access < Access.MERCHANT:
            return None
        sponsor = PartnerByIdLoader(info.context).load_for(root, lambda registration: registration.sponsor_id)
        return Visible(sponsor, Access.MERCHANT) if sponsor else None

    @staticmethod
    def resolve_sponsor_name(root: Visible, info):
        sponsor = PartnerByIdLoader(info.context).load_for(root, lambda registration: registration.sponsor_id)
        return " ".join(part for part in (sponsor.first_name, sponsor.last_name) if part) or None

    @staticmethod
    def resolve_partner(root: Visible, info):
        if root.access < Access.MERCHANT or root.partner_id is None:
            return None
        partner = PartnerByIdLoader(info.context).load_for(root, lambda registration: registration.partner_id)
        return Visible(partner, Access.MERCHANT) if partner else None

    @staticmethod
    def resolve_decided_by(root: Visible, info):
        return root.decided_by if root.access >= Access.MERCHANT else None


class PartnerRegistrationCountableConnection(CountableConnection):
    class Meta:
        node = PartnerRegistration
