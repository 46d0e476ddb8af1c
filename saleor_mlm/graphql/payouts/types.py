"""Payout profiles, settings, runs, items and SEPA files in the API. IBANs only masked;
Stripe keys never shown (only whether they are set)."""

from __future__ import annotations

import graphene
from django.urls import reverse

from saleor_mlm.core.currency import to_decimal
from saleor_mlm.payout_runs.runs import run_totals
from saleor_mlm.payouts.bank import mask_iban
from saleor_mlm.payouts.models import PayoutProfileChange as ChangeModel
from saleor_mlm.payouts.models import StripeAccount as StripeAccountModel

from ..core.connection import CountableConnection
from ..core.permissions import MlmPermission
from ..credit_notes.types import CreditNote
from ..network import dataloaders as network_loaders
from ..network.types import Partner
from ..network.visibility import Access, Visible
from ..periods import dataloaders as period_loaders
from .enums import PayoutItemStatusEnum, PayoutMethodEnum, PayoutProfileChangeKindEnum, PayoutRunStatusEnum, PayoutSkipReasonEnum


def _partner(info, partner_id: int):
    partner = network_loaders.PartnerByIdLoader(info.context).load(partner_id)
    merchant = info.context.requestor.has_permissions([MlmPermission.MANAGE_ORDERS])
    return Visible(partner, Access.MERCHANT if merchant else Access.SELF)


class StripeAccount(graphene.ObjectType):
    account_id = graphene.String(required=True, description="Stripe's id of the connected account (acct_...).")
    payouts_enabled = graphene.Boolean(required=True, description="Stripe can pay out to it: from Stripe's account.updated events.")
    details_submitted = graphene.Boolean(required=True)
    default_currency = graphene.String(required=True, description="What the account settles in; payouts are sent in the plan currency.")


class PayoutProfileChange(graphene.ObjectType):
    kind = graphene.Field(PayoutProfileChangeKindEnum, required=True)
    method = graphene.Field(PayoutMethodEnum, required=True)
    account_holder = graphene.String(required=True)
    iban_masked = graphene.String(required=True)
    previous_iban_masked = graphene.String(required=True, description="Set when the IBAN changed.")
    by_partner = graphene.Boolean(required=True, description="The partner itself (else the merchant or Stripe).")
    changed_by = graphene.String(required=True)
    note = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)


class PayoutProfile(graphene.ObjectType):
    method = graphene.Field(PayoutMethodEnum, required=True)
    account_holder = graphene.String(required=True)
    iban_masked = graphene.String(required=True, description="e.g. DE89 **** **** **** **30 00; the IBAN itself is never shown.")
    bic = graphene.String(required=True)
    bank_change_pending = graphene.Boolean(required=True, description="The IBAN changed: payouts wait until the merchant confirms it.")
    updated_by = graphene.String(required=True)
    updated_at = graphene.DateTime(required=True)
    stripe_account = graphene.Field(StripeAccount, description="The partner's Stripe Connect account, once created.")
    history = graphene.List(graphene.NonNull(PayoutProfileChange), required=True, description="Every change, oldest first.")

    @staticmethod
    def resolve_stripe_account(root, info):
        return StripeAccountModel.objects.filter(partner_id=root.partner_id).first()

    @staticmethod
    def resolve_history(root, info):
        return list(ChangeModel.objects.filter(partner_id=root.partner_id))


class PayoutSettings(graphene.ObjectType):
    minimum_payout = graphene.Decimal(required=True, description="Smaller balances are carried forward.")
    debtor_name = graphene.String(required=True, description="The shop's account holder in the SEPA files.")
    debtor_iban_masked = graphene.String(required=True)
    debtor_bic = graphene.String(required=True)
    stripe_configured = graphene.Boolean(required=True, description="The Stripe secret key is set (it is never shown).")
    stripe_webhook_configured = graphene.Boolean(required=True, description="The Stripe webhook signing secret is set.")
    stripe_webhook_url = graphene.String(
        required=True, description="The endpoint to register in Stripe's dashboard for account.updated and transfer.reversed."
    )

    @staticmethod
    def resolve_debtor_iban_masked(root, info):
        return mask_iban(root.debtor_iban)

    @staticmethod
    def resolve_debtor_bic(root, info):
        return root.debtor_bic

    @staticmethod
    def resolve_stripe_configured(root, info):
        return bool(root.encrypted_stripe_secret_key)

    @staticmethod
    def resolve_stripe_webhook_configured(root, info):
        return bool(root.encrypted_stripe_webhook_secret)

    @staticmethod
    def resolve_stripe_webhook_url(root, info):
        path = reverse("stripe-webhook", kwargs={"installation_id": root.installation_id})
        request = info.context.request
        return request.build_absolute_uri(path) if request is not None else path


class SepaFile(graphene.ObjectType):
    message_id = graphene.String(required=True, description="The group header's MsgId.")
    filename = graphene.String(required=True)
    content = graphene.String(required=True, description="The pain.001.001.09 XML, validated before it was stored: upload it to the bank.")
    sha256 = graphene.String(required=True)
    transaction_count = graphene.Int(required=True)
    control_sum = graphene.Decimal(required=True)
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    executed_by = graphene.String(required=True)
    executed_at = graphene.DateTime(description="When the merchant marked it executed by the bank.")

    class Meta:
        interfaces = (graphene.relay.Node,)

    @staticmethod
    def resolve_control_sum(root, info):
        return to_decimal(root.control_sum, "EUR")


class PayoutItem(graphene.ObjectType):
    partner = graphene.Field(Partner, required=True)
    credit_note = graphene.Field(CreditNote, required=True, description="The document the payout pays.")
    period = graphene.Field("saleor_mlm.graphql.periods.period.Period", required=True)
    method = graphene.Field(PayoutMethodEnum, required=True)
    amount = graphene.Decimal(required=True, description="The credit note's gross, in the plan currency.")
    currency = graphene.String(required=True)
    status = graphene.Field(PayoutItemStatusEnum, required=True)
    skip_reason = graphene.Field(PayoutSkipReasonEnum, description="Why a pending payout waits.")
    stripe_transfer_id = graphene.String(required=True)
    end_to_end_id = graphene.String(required=True, description="SEPA: the credit note's number.")
    sepa_file = graphene.Field(SepaFile)
    attempts = graphene.Int(required=True)
    last_error = graphene.String(required=True)
    sent_at = graphene.DateTime()
    paid_at = graphene.DateTime()
    failed_at = graphene.DateTime()
    returned_at = graphene.DateTime()
    return_reason = graphene.String(required=True)

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "One partner's payout of a run."

    @staticmethod
    def resolve_partner(root, info):
        return _partner(info, root.partner_id)

    @staticmethod
    def resolve_credit_note(root, info):
        return root.credit_note

    @staticmethod
    def resolve_period(root, info):
        return period_loaders.PeriodByIdLoader(info.context).load(root.run.period_id)

    @staticmethod
    def resolve_amount(root, info):
        return to_decimal(root.amount, root.currency)

    @staticmethod
    def resolve_skip_reason(root, info):
        return root.skip_reason or None


class PayoutItemCountableConnection(CountableConnection):
    class Meta:
        node = PayoutItem


class PayoutStatusTotal(graphene.ObjectType):
    status = graphene.Field(PayoutItemStatusEnum, required=True)
    count = graphene.Int(required=True)
    amount = graphene.Decimal(required=True)


class PayoutRun(graphene.ObjectType):
    period = graphene.Field("saleor_mlm.graphql.periods.period.Period", required=True)
    status = graphene.Field(PayoutRunStatusEnum, required=True)
    currency = graphene.String(required=True)
    created_by = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    approved_by = graphene.String(required=True)
    approved_at = graphene.DateTime()
    executed_by = graphene.String(required=True)
    started_at = graphene.DateTime()
    executed_at = graphene.DateTime()
    totals = graphene.List(graphene.NonNull(PayoutStatusTotal), required=True, description="Items and amounts per status.")
    skipped = graphene.Int(required=True, description="Pending items that wait for a reason (see their skipReason).")
    sepa_files = graphene.List(graphene.NonNull(SepaFile), required=True, description="Oldest first; each item is in at most one.")

    class Meta:
        interfaces = (graphene.relay.Node,)
        description = "The payout of a committed period, created by one merchant user and approved by another."

    @staticmethod
    def resolve_period(root, info):
        return period_loaders.PeriodByIdLoader(info.context).load(root.period_id)

    @staticmethod
    def resolve_totals(root, info):
        return [
            PayoutStatusTotal(status=status, count=count, amount=to_decimal(amount, root.currency))
            for status, (count, amount) in sorted(run_totals(root)["by_status"].items())
        ]

    @staticmethod
    def resolve_skipped(root, info):
        return run_totals(root)["skipped"]

    @staticmethod
    def resolve_sepa_files(root, info):
        return list(root.sepa_files.all())


class PayoutRunCountableConnection(CountableConnection):
    class Meta:
        node = PayoutRun
