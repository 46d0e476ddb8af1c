import graphene

from saleor_mlm.payouts.stripe_connect import onboarding_link

from ...network.partner_mutation import PartnerMutation
from ..errors import PayoutError
from ..types import StripeAccount


class PayoutAccountLink(PartnerMutation):
    log_in_message = "Log in to the shop as a partner to set up Stripe payouts."
    not_a_partner_message = "Only partners are paid out."

    url = graphene.String(description="Stripe's onboarding page for the partner's Express account; valid for a few minutes, use it at once.")
    stripe_account = graphene.Field(StripeAccount)

    class Arguments:
        refresh_url = graphene.String(required=True, description="Where Stripe sends the partner when the link expired (ask for a new one there).")
        return_url = graphene.String(required=True, description="Where Stripe sends the partner after the onboarding.")

    class Meta:
        error_type_class = PayoutError
        description = (
            "A partner's Stripe Connect Express account (created on first use) and a fresh onboarding link; the payout "
            "method becomes STRIPE. Whether the account can receive payouts follows Stripe's account.updated events."
        )

    @classmethod
    def perform_mutation(cls, root, info, refresh_url, return_url):
        partner = cls.own_partner(info)
        account, url = onboarding_link(partner, refresh_url=refresh_url, return_url=return_url, changed_by=info.context.requestor.label)
        return cls.success(url=url, stripe_account=account)
