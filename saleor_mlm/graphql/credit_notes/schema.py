import graphene

from saleor_mlm.credit_notes.withheld import withheld_for_tax_profile

from ..core.connection import connection_args
from ..core.permissions import MlmPermission, permission_required, permissions_description
from . import resolvers
from .filters import CreditNoteFilterInput
from .mutations.credit_note_cancel import CreditNoteCancel
from .mutations.credit_note_settings_update import CreditNoteSettingsUpdate
from .mutations.vat_rate_set import VatRateSet
from .types import CreditNote, CreditNoteCountableConnection, CreditNoteSettings, CreditNoteWithheld

MANAGE_ORDERS = MlmPermission.MANAGE_ORDERS
_MERCHANT = permissions_description([MANAGE_ORDERS])


class PeriodCreditNotes(graphene.ObjectType):
    issued = graphene.Int(required=True, description="Documents issued for the period (cancellations included).")
    rendered = graphene.Int(required=True, description="Of them, stored as PDF: rendering runs in the background after the commit.")
    zip_url = graphene.String(description="A signed link to a ZIP of the period's PDFs, valid for a few minutes.")
    withheld = graphene.List(
        graphene.NonNull(CreditNoteWithheld),
        required=True,
        description="Partners without a document for an incomplete tax profile, by name, and what their profile lacks.",
    )

    @staticmethod
    def resolve_withheld(root, info):
        return withheld_for_tax_profile(root["period"])


class CreditNoteQueries(graphene.ObjectType):
    credit_notes = graphene.Field(
        CreditNoteCountableConnection,
        description="The shop's credit notes, newest first." + _MERCHANT,
        **connection_args(
            filter=CreditNoteFilterInput(),
            search=graphene.String(description="A number (or part of it), or the partner's name, e-mail or exact referral code."),
        ),
    )
    credit_note = graphene.Field(CreditNote, id=graphene.ID(required=True), description="A credit note by id." + _MERCHANT)
    period_credit_notes = graphene.Field(
        PeriodCreditNotes,
        period=graphene.String(required=True, description="YYYY-MM or a Period id."),
        description="How far the documents of a committed period are rendered, the ZIP of their PDFs, and whom none was issued for." + _MERCHANT,
    )
    credit_note_settings = graphene.Field(CreditNoteSettings, description="Number series, retention, issuer, VAT rates." + _MERCHANT)
    my_credit_notes = graphene.Field(
        CreditNoteCountableConnection,
        description="The logged-in partner's own credit notes, newest first; empty for everyone else.",
        **connection_args(),
    )

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_credit_notes(root, info, **kwargs):
        return resolvers.resolve_credit_notes(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_credit_note(root, info, **kwargs):
        return resolvers.resolve_credit_note(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_period_credit_notes(root, info, **kwargs):
        return resolvers.resolve_period_credit_notes(info, **kwargs)

    @staticmethod
    @permission_required(MANAGE_ORDERS)
    def resolve_credit_note_settings(root, info):
        return resolvers.resolve_credit_note_settings(info)

    @staticmethod
    def resolve_my_credit_notes(root, info, **kwargs):
        return resolvers.resolve_my_credit_notes(info, **kwargs)


class CreditNoteMutations(graphene.ObjectType):
    credit_note_cancel = CreditNoteCancel.Field()
    credit_note_settings_update = CreditNoteSettingsUpdate.Field()
    vat_rate_set = VatRateSet.Field()
