"""Stripe Connect Express accounts of partners, through the `stripe` library.

- `stripe_client(installation_id)`: a `stripe.StripeClient` with the installation's secret
  key, talking to `settings.STRIPE_API_BASE` (Stripe's API; the tests point it at a local
  Stripe). The library retries network errors with the same idempotency key.
- `onboarding_link(partner, ...)`: the partner's Express account (created on first use, with
  an idempotency key per partner, so two clicks make one account) and a fresh onboarding
  link (links expire after a few minutes; a new one is made each time).
- `apply_account_update(installation_id, account, event_created)`: what Stripe's
  `account.updated` says, stored on the partner's `StripeAccount`; an event older than the
  one applied last changes nothing. The redirect back from the onboarding is never trusted.
"""

from __future__ import annotations

import stripe
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.models import Partner

from . import PayoutMethod, ProfileChangeKind
from .balances import payout_settings
from .error_codes import PayoutErrorCode
from .models import PayoutProfile, PayoutProfileChange, StripeAccount

NETWORK_RETRIES = 2  # the library retries timeouts and 5xx with the request's idempotency key


def stripe_client(installation_id: int) -> stripe.StripeClient:
    key = payout_settings(installation_id).stripe_secret_key
    if not key:
        raise DomainError(PayoutErrorCode.STRIPE_NOT_CONFIGURED, _("The shop has not set up Stripe yet (its secret key is missing)."))
    return stripe.StripeClient(key, base_addresses={"api": settings.STRIPE_API_BASE}, max_network_retries=NETWORK_RETRIES)


def stripe_error(error: stripe.StripeError) -> DomainError:
    message = getattr(error, "user_message", None) or str(error) or error.__class__.__name__
    return DomainError(PayoutErrorCode.STRIPE_ERROR, _("Stripe answered: %(message)s") % {"message": message})


def _create_account(client: stripe.StripeClient, partner: Partner) -> str:
    params = {
        "type": "express",
        "country": partner.country.code or "DE",
        "capabilities": {"transfers": {"requested": True}},
        "metadata": {"partner_id": str(partner.pk), "installation_id": str(partner.installation_id)},
    }
    if partner.email:
        params["email"] = partner.email
    account = client.v1.accounts.create(params, options={"idempotency_key": f"account-{partner.installation_id}-{partner.pk}"})
    return account.id


def onboarding_link(partner: Partner, *, refresh_url: str, return_url: str, changed_by: str) -> tuple[StripeAccount, str]:
    """The partner's account (created on first use) and Stripe's onboarding link for it.
    The partner's payout method becomes STRIPE."""
    client = stripe_client(partner.installation_id)
    account = StripeAccount.objects.filter(partner=partner).first()
    try:
        if account is None:
            account_id = _create_account(client, partner)
            with transaction.atomic():
                account, created = StripeAccount.objects.get_or_create(
                    partner=partner, defaults={"installation_id": partner.installation_id, "account_id": account_id}
                )
                profile, _created = PayoutProfile.objects.select_for_update().get_or_create(
                    partner=partner, defaults={"installation_id": partner.installation_id}
                )
                if created or profile.method != PayoutMethod.STRIPE:
                    profile.method, profile.updated_by = PayoutMethod.STRIPE, changed_by
                    profile.save(update_fields=["method", "updated_by", "updated_at"])
                    PayoutProfileChange.objects.create(
                        installation_id=partner.installation_id,
                        partner=partner,
                        kind=ProfileChangeKind.STRIPE_ACCOUNT,
                        method=PayoutMethod.STRIPE,
                        by_partner=True,
                        changed_by=changed_by,
                        note=account.account_id,
                    )
        link = client.v1.account_links.create(
            {"account": account.account_id, "refresh_url": refresh_url, "return_url": return_url, "type": "account_onboarding"}
        )
    except stripe.StripeError as error:
        raise stripe_error(error) from error
    return account, link.url


def apply_account_update(installation_id: int, account: dict, event_created: int) -> StripeAccount | None:
    """Store what an `account.updated` event says; None for an account that is not a
    partner's of this installation (the event is then not for us)."""
    with transaction.atomic():
        mirrored = StripeAccount.objects.select_for_update().filter(installation_id=installation_id, account_id=account.get("id", "")).first()
        if mirrored is None or event_created < mirrored.event_created:
            return mirrored
        before = mirrored.payouts_enabled
        mirrored.payouts_enabled = bool(account.get("payouts_enabled"))
        mirrored.details_submitted = bool(account.get("details_submitted"))
        mirrored.default_currency = (account.get("default_currency") or "")[:3].upper()
        mirrored.event_created = event_created
        mirrored.save()
        if before != mirrored.payouts_enabled:
            PayoutProfileChange.objects.create(
                installation_id=installation_id,
                partner_id=mirrored.partner_id,
                kind=ProfileChangeKind.STRIPE_ACCOUNT,
                method=PayoutMethod.STRIPE,
                changed_by="stripe",
                note=f"{mirrored.account_id} payouts_enabled={str(mirrored.payouts_enabled).lower()}",
            )
    return mirrored
