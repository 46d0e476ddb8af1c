"""Credit notes in the API. The partner sees its own, the merchant (MANAGE_ORDERS) all of
the shop's; `downloadUrl` is a signed link that works for a few minutes."""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter

import graphene

from saleor_mlm.core.currency import to_decimal
from saleor_mlm.credit_notes import CreditNoteStatus
from saleor_mlm.credit_notes.links import note_link

from ..core.connection import CountableConnection
from ..core.permissions import MlmPermission
from ..network import dataloaders as network_loaders
from ..network.enums import TaxStatusEnum
from ..network.types import Partner
from ..network.visibility import Access, Visible
from ..periods import dataloaders as period_loaders
from ..periods.formats import money
from . import dataloaders as loaders
from .enums import CreditNoteKindEnum, CreditNoteStatusEnum


def absolute(info, path: str) -> str:
    request = info.context.request
    return request.build_absolute_uri(path) if request is not None else path


class CreditNoteLine(graphene.ObjectType):
    kind = graphene.String(required=True, description="A bonus kind (customer, level, ...), ADJUSTMENT or CARRIED_IN.")
    description = graphene.String(required=True, description="As on the document, in its language.")
    net = graphene.Decimal(required=True)


class CreditNote(graphene.ObjectType):
    number = graphene.String(required=True)
    kind = graphene.Field(CreditNoteKindEnum, required=True)
    status = graphene.Field(CreditNoteStatusEnum, required=True)
    issue_date = graphene.Date(required=True)
    period = graphene.Field("saleor_mlm.graphql.periods.period.Period", required=True, description="The period of supply.")
    partner = graphene.Field(Partner, required=True)
    partner_code = graphene.String(required=True)
    language = graphene.String(required=True)
    currency = graphene.String(required=True)
    tax_status = graphene.Field(TaxStatusEnum, required=True, description="As in the tax profile in force at issue.")
    vat_rate = graphene.Decimal(required=True, description="Percent; 0 where no VAT is charged.")
    net = graphene.Decimal(required=True)
    vat = graphene.Decimal(required=True)
    gross = graphene.Decimal(required=True)
    tax_note = graphene.String(required=True, description="The exemption or reverse-charge note; empty with VAT.")
    supplier_name = graphene.String(required=True, description="The partner's legal name on the document.")
    lines = graphene.List(graphene.NonNull(CreditNoteLine), required=True)
    cancels = graphene.Field(lambda: CreditNote, description="CANCELLATION: the document it cancels.")
    cancelled_by = graphene.Field(lambda: CreditNote, description="The cancellation of this document, if any.")
    reason = graphene.String(required=True, description="CANCELLATION: why.")
    retain_until = graphene.Date(required=True, description="Kept at least until this day (§14b UStG).")
    rendered = graphene.Boolean(required=True, description="The PDF is stored (rendering runs after the commit).")
    download_url = graphene.String(description="A signed link to the PDF, valid for a few minutes; null until rendered.")

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "An issued credit note, commission statement or cancellation. Never changes once issued."

    @staticmethod
    def resolve_net(root, info):
        return to_decimal(root.net, root.currency)

    @staticmethod
    def resolve_vat(root, info):
        return to_decimal(root.vat, root.currency)

    @staticmethod
    def resolve_gross(root, info):
        return to_decimal(root.gross, root.currency)

    @staticmethod
    def resolve_vat_rate(root, info):
        return Decimal(root.vat_rate).quantize(Decimal("0.01"))

    @staticmethod
    def resolve_status(root, info):
        cancellation = loaders.CancellationByCreditNoteIdLoader(info.context).load_for(root, attrgetter("pk"))
        return CreditNoteStatus.CANCELLED if cancellation is not None else CreditNoteStatus.ISSUED

    @staticmethod
    def resolve_period(root, info):
        return period_loaders.PeriodByIdLoader(info.context).load_for(root, attrgetter("period_id"))

    @staticmethod
    def resolve_partner(root, info):
        partner = network_loaders.PartnerByIdLoader(info.context).load_for(root, attrgetter("partner_id"))
        # A partner reaches only its own documents (resolvers), the merchant every one.
        merchant = info.context.requestor.has_permissions([MlmPermission.MANAGE_ORDERS])
        return Visible(partner, Access.MERCHANT if merchant else Access.SELF)

    @staticmethod
    def resolve_supplier_name(root, info):
        return root.supplier["name"]

    @staticmethod
    def resolve_lines(root, info):
        return [CreditNoteLine(kind=line["kind"], description=line["description"], net=line["net"]) for line in root.lines]

    @staticmethod
    def resolve_cancels(root, info):
        return loaders.CreditNoteByIdLoader(info.context).load_for(root, attrgetter("cancels_id"))

    @staticmethod
    def resolve_cancelled_by(root, info):
        return loaders.CancellationByCreditNoteIdLoader(info.context).load_for(root, attrgetter("pk"))

    @staticmethod
    def resolve_rendered(root, info):
        return loaders.RenderedByCreditNoteIdLoader(info.context).load_for(root, attrgetter("pk"))

    @staticmethod
    def resolve_download_url(root, info):
        if not loaders.RenderedByCreditNoteIdLoader(info.context).load_for(root, attrgetter("pk")):
            return None
        return absolute(info, note_link(root.pk))


class CreditNoteCountableConnection(CountableConnection):
    class Meta:
        node = CreditNote


class VatRate(graphene.ObjectType):
    country = graphene.String(required=True, description="ISO 3166 code.")
    rate = graphene.Decimal(required=True, description="Percent.")

    @staticmethod
    def resolve_country(root, info):
        return root.country.code

    @staticmethod
    def resolve_rate(root, info):
        return Decimal(root.rate).quantize(Decimal("0.01"))


class CreditNoteSettings(graphene.ObjectType):
    number_prefix = graphene.String(required=True, description="Numbers are <prefix><year>-<sequence>, e.g. GS-2026-00001.")
    number_start = graphene.Int(required=True, description="The first sequence number of each year.")
    retention_years = graphene.Int(required=True, description="Years after the end of the year of issue (8, §14b UStG).")
    issuer_name = graphene.String(required=True)
    issuer_street = graphene.String(required=True)
    issuer_postal_code = graphene.String(required=True)
    issuer_city = graphene.String(required=True)
    issuer_country = graphene.String(required=True)
    issuer_tax_number = graphene.String(required=True)
    issuer_vat_id = graphene.String(required=True)
    issuer_email = graphene.String(required=True)
    vat_rates = graphene.List(graphene.NonNull(VatRate), required=True, description="Per country, for REGULAR partners; DE is 19 unless set.")

    @staticmethod
    def resolve_issuer_country(root, info):
        return root.issuer_country.code

    @staticmethod
    def resolve_vat_rates(root, info):
        from saleor_mlm.credit_notes.models import VatRate as VatRateModel

        return list(VatRateModel.objects.filter(installation_id=root.installation_id).order_by("country"))


class CreditNoteWithheld(graphene.ObjectType):
    """A partner the committed period issued no document for: the tax profile was missing or
    incomplete, so the amount was carried forward (docs/credit-notes.md)."""

    partner = graphene.Field(Partner, required=True)
    carried_forward = graphene.Decimal(required=True, description="The amount carried into the next period.")
    currency = graphene.String(required=True, description="The plan currency of the period's figures.")
    missing_fields = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="What the tax profile in force today lacks: `legal_name`, `street`, `postal_code`, `city`, `country`, "
        "`tax_number`, `vat_id`, or `tax_profile` when there is none. Empty once completed: the next committed period issues the document.",
    )

    @staticmethod
    def resolve_partner(root, info):
        return Visible(root.partner, Access.MERCHANT)  # the field is the merchant's only

    @staticmethod
    def resolve_carried_forward(root, info):
        return money(root.carried_forward, root.minor_digits)

    @staticmethod
    def resolve_missing_fields(root, info):
        return root.missing
