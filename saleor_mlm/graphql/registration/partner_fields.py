"""The registration fields of `Partner` (mixed into `network.types.Partner`): the partner
terms it accepted, for the partner itself and the merchant."""

from __future__ import annotations

import graphene

from saleor_mlm.registration.models import TermsAcceptance as TermsAcceptanceModel

from ..network.visibility import Access


class TermsAcceptance(graphene.ObjectType):
    version = graphene.Int(required=True)
    language = graphene.String(required=True, description="The language of the text accepted.")
    accepted_at = graphene.DateTime(required=True)

    class Meta:
        description = "A partner accepted a version of the partner terms (kept, never changed; the newest is in force)."


class PartnerRegistrationFields:
    terms_acceptances = graphene.List(
        graphene.NonNull(TermsAcceptance),
        description="The versions of the partner terms the partner accepted, oldest first (online registration). The partner itself.",
    )

    @staticmethod
    def resolve_terms_acceptances(root, info):
        if root.access < Access.SELF:
            return None
        return list(TermsAcceptanceModel.objects.filter(partner_id=root.pk).order_by("accepted_at", "id"))
