"""Payout profiles: how each partner is paid, and the merchant's payout settings.

Rules:

- A profile names the method (`STRIPE`, `SEPA` or `NONE`) and, for SEPA, the account holder
  and the bank account (`bank.clean_bank_account`: schwifty's IBAN and BIC checks). The
  partner sets its own profile; the merchant may set it too.
- IBAN and BIC are stored encrypted and shown masked everywhere (`bank.mask_iban`).
- Every change is an entry of `PayoutProfileChange` (who, when, the masked IBANs before and
  after), never overwritten.
- A changed IBAN (a partner who had one gets another) holds the partner's next payout until
  the merchant confirms it (`confirm_bank_change`): rerouting payouts by changing a victim's
  bank account is a common fraud. Setting the first IBAN holds nothing.
- The merchant's own settings: the account the SEPA files debit, and the Stripe keys (secret
  key and webhook signing secret), encrypted like the IBANs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network.models import Partner

from . import PayoutMethod, ProfileChangeKind
from .balances import payout_settings
from .bank import clean_bank_account, mask_iban
from .error_codes import PayoutErrorCode
from .models import PayoutProfile, PayoutProfileChange, PayoutSettings

METHODS = {value for value, _label in PayoutMethod.CHOICES}
HOLDER_LENGTH = 70  # the SEPA file's name field (Max70Text)


@dataclass(frozen=True)
class ProfileInput:
    """A payout profile as given (uncleaned)."""

    method: str
    account_holder: str = ""
    iban: str = ""
    bic: str = ""


def _actor(changed_by: str) -> str:
    changed_by = (changed_by or "").strip()
    if not changed_by:
        raise DomainError(PayoutErrorCode.REQUIRED, _("Say who makes the change."), field="changed_by")
    return changed_by[:255]


def clean_method(method: str) -> str:
    value = (method or "").strip().lower()
    if value not in METHODS:
        raise DomainError(PayoutErrorCode.INVALID, _("A payout method is STRIPE, SEPA or NONE."), field="method")
    return value


def _clean_holder(holder: str) -> str:
    holder = " ".join((holder or "").split())
    if not holder:
        raise DomainError(PayoutErrorCode.REQUIRED, _("Give the account holder's name."), field="account_holder")
    if len(holder) > HOLDER_LENGTH:
        raise DomainError(PayoutErrorCode.INVALID, _("An account holder has at most 70 characters."), field="account_holder")
    return holder


def profile_of(partner: Partner) -> PayoutProfile | None:
    return PayoutProfile.objects.filter(partner=partner).first()


def set_payout_profile(partner: Partner, data: ProfileInput, *, changed_by: str, by_partner: bool) -> PayoutProfile:
    """Set the partner's method and (for SEPA) bank account; returns the profile."""
    changed_by = _actor(changed_by)
    method = clean_method(data.method)
    holder, account = "", None
    if method == PayoutMethod.SEPA:
        holder = _clean_holder(data.account_holder)
        account = clean_bank_account(data.iban, data.bic)
    with transaction.atomic():
        profile, _created = PayoutProfile.objects.select_for_update().get_or_create(
            partner=partner, defaults={"installation_id": partner.installation_id}
        )
        previous_iban = profile.iban
        profile.method = method
        previous_masked = profile.iban_masked
        if account is not None:
            if previous_iban and previous_iban != account.iban:
                profile.bank_change_pending = True
            profile.account_holder = holder
            profile.iban, profile.bic, profile.iban_masked = account.iban, account.bic, account.masked
        profile.updated_by = changed_by
        profile.save()
        PayoutProfileChange.objects.create(
            installation_id=partner.installation_id,
            partner=partner,
            kind=ProfileChangeKind.SET,
            method=method,
            account_holder=profile.account_holder,
            iban_masked=profile.iban_masked,
            previous_iban_masked=previous_masked if account is not None and previous_masked != profile.iban_masked else "",
            by_partner=by_partner,
            changed_by=changed_by,
        )
    return profile


def confirm_bank_change(partner: Partner, *, confirmed_by: str, note: str = "") -> PayoutProfile:
    """The merchant checked the changed bank account (e.g. by calling the partner): the next
    payout goes to it."""
    confirmed_by = _actor(confirmed_by)
    with transaction.atomic():
        profile = PayoutProfile.objects.select_for_update().filter(partner=partner).first()
        if profile is None or not profile.bank_change_pending:
            raise DomainError(PayoutErrorCode.NOTHING_TO_CONFIRM, _("No changed bank account waits for confirmation."), field="partner")
        profile.bank_change_pending = False
        profile.updated_by = confirmed_by
        profile.save(update_fields=["bank_change_pending", "updated_by", "updated_at"])
        PayoutProfileChange.objects.create(
            installation_id=partner.installation_id,
            partner=partner,
            kind=ProfileChangeKind.CONFIRMED,
            method=profile.method,
            account_holder=profile.account_holder,
            iban_masked=profile.iban_masked,
            changed_by=confirmed_by,
            note=(note or "").strip(),
        )
    return profile


def set_debtor_account(installation_id: int, *, name: str, iban: str, bic: str = "") -> PayoutSettings:
    """The merchant's account that the SEPA files debit (its name as the bank knows it)."""
    name = " ".join((name or "").split())
    if not name or len(name) > HOLDER_LENGTH:
        raise DomainError(PayoutErrorCode.INVALID, _("Give the account holder's name (at most 70 characters)."), field="debtor_name")
    account = clean_bank_account(iban, bic, iban_field="debtor_iban", bic_field="debtor_bic")
    with transaction.atomic():
        settings = PayoutSettings.objects.select_for_update().get(pk=payout_settings(installation_id).pk)
        settings.debtor_name, settings.debtor_iban, settings.debtor_bic = name, account.iban, account.bic
        settings.save()
    return settings


STRIPE_SECRET_PREFIXES = ("sk_live_", "sk_test_", "rk_live_", "rk_test_")


def set_stripe_keys(installation_id: int, *, secret_key: str | None = None, webhook_secret: str | None = None) -> PayoutSettings:
    """The installation's Stripe secret (or restricted) key and webhook signing secret;
    None leaves one as it is, an empty text removes it."""
    with transaction.atomic():
        settings = PayoutSettings.objects.select_for_update().get(pk=payout_settings(installation_id).pk)
        if secret_key is not None:
            secret_key = secret_key.strip()
            if secret_key and not secret_key.startswith(STRIPE_SECRET_PREFIXES):
                raise DomainError(PayoutErrorCode.INVALID, _("A Stripe secret key starts with sk_live_, sk_test_, rk_live_ or rk_test_."), field="secret_key")
            settings.stripe_secret_key = secret_key
        if webhook_secret is not None:
            webhook_secret = webhook_secret.strip()
            if webhook_secret and not webhook_secret.startswith("whsec_"):
                raise DomainError(PayoutErrorCode.INVALID, _("A Stripe webhook signing secret starts with whsec_."), field="webhook_secret")
            settings.stripe_webhook_secret = webhook_secret
        settings.save()
    return settings


def masked_debtor_iban(settings: PayoutSettings) -> str:
    return mask_iban(settings.debtor_iban)
