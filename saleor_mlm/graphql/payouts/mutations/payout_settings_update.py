import graphene

from saleor_mlm.payouts.actions import set_minimum_payout
from saleor_mlm.payouts.balances import payout_settings
from saleor_mlm.payouts.profiles import set_debtor_account, set_stripe_keys

from ...core.mutations import BaseMutation
from ...core.permissions import MlmPermission
from ..errors import PayoutError
from ..types import PayoutSettings


class PayoutSettingsInput(graphene.InputObjectType):
    minimum_payout = graphene.Decimal(
        description="Smaller balances are carried forward; in the plan currency, 0 or more, at most 4 decimal places. Applies to periods closed from now on."
    )
    debtor_name = graphene.String(description="The shop's account holder, as the bank knows it (with debtorIban).")
    debtor_iban = graphene.String(description="The account the SEPA files debit; stored encrypted.")
    debtor_bic = graphene.String()
    stripe_secret_key = graphene.String(description="sk_live_..., sk_test_... or a restricted key; stored encrypted, never shown; empty removes it.")
    stripe_webhook_secret = graphene.String(description="The signing secret of the app's Stripe webhook endpoint (whsec_...); empty removes it.")


class PayoutSettingsUpdate(BaseMutation):
    settings = graphene.Field(PayoutSettings)

    class Arguments:
        input = PayoutSettingsInput(required=True)

    class Meta:
        error_type_class = PayoutError
        description = (
            "Set the minimum payout, the shop's bank account for SEPA files and its Stripe keys (encrypted at rest); fields left out stay as they are."
        )
        permissions = (MlmPermission.MANAGE_ORDERS,)
        error_field_map = {
            "minimum_payout": "minimumPayout",
            "changed_by": None,
            "debtor_name": "debtorName",
            "debtor_iban": "debtorIban",
            "debtor_bic": "debtorBic",
            "secret_key": "stripeSecretKey",
            "webhook_secret": "stripeWebhookSecret",
        }

    @classmethod
    def perform_mutation(cls, root, info, input):
        installation_id = info.context.installation.pk
        # One transaction (BaseMutation): a refused field leaves the others unchanged too.
        if input.get("minimum_payout") is not None:
            set_minimum_payout(info.context.installation, input["minimum_payout"], info.context.requestor.label)
        if input.get("debtor_iban") is not None or input.get("debtor_name") is not None:
            current = payout_settings(installation_id)
            set_debtor_account(
                installation_id,
                name=input.get("debtor_name") if input.get("debtor_name") is not None else current.debtor_name,
                iban=input.get("debtor_iban") if input.get("debtor_iban") is not None else current.debtor_iban,
                bic=input.get("debtor_bic") or "",
            )
        if input.get("stripe_secret_key") is not None or input.get("stripe_webhook_secret") is not None:
            set_stripe_keys(installation_id, secret_key=input.get("stripe_secret_key"), webhook_secret=input.get("stripe_webhook_secret"))
        return cls.success(settings=payout_settings(installation_id))
