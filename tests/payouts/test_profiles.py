"""Payout profiles: IBAN and BIC checked with schwifty, encrypted at rest, masked; every change
kept with who and when; a changed IBAN waits for the merchant's confirmation."""

import pytest
from django.db import connection

from saleor_mlm.core.errors import DomainError
from saleor_mlm.payouts import PayoutMethod, ProfileChangeKind
from saleor_mlm.payouts.bank import clean_bank_account, mask_iban
from saleor_mlm.payouts.error_codes import PayoutErrorCode
from saleor_mlm.payouts.models import PayoutProfile, PayoutProfileChange
from saleor_mlm.payouts.profiles import ProfileInput, confirm_bank_change, set_debtor_account, set_payout_profile, set_stripe_keys

pytestmark = pytest.mark.django_db

IBAN = "DE89 3704 0044 0532 0130 00"
OTHER_IBAN = "AT61 1904 3002 3457 3201"
FINANCE = "finance@example.com"


def sepa(iban=IBAN, bic="", holder="Anna Muster") -> ProfileInput:
    return ProfileInput(method="SEPA", account_holder=holder, iban=iban, bic=bic)


def test_masks_keep_country_check_digits_and_the_last_four():
    assert mask_iban("DE89370400440532013000") == "DE89 **** **** **** **30 00"
    assert mask_iban("AT611904300234573201") == "AT61 **** **** **** 3201"
    assert mask_iban("") == ""


def test_the_iban_is_checked_and_the_bic_filled_in_from_schwifty_s_bank_registry():
    account = clean_bank_account(IBAN)

    assert (account.iban, account.bic, account.masked) == ("DE89370400440532013000", "COBADEFFXXX", "DE89 **** **** **** **30 00")


@pytest.mark.parametrize(
    "iban, bic, code, field",
    [
        ("DE89 3704 0044 0532 0130 01", "", PayoutErrorCode.INVALID_IBAN, "iban"),  # check digits
        ("DE89 3704 0044 0532 0130", "", PayoutErrorCode.INVALID_IBAN, "iban"),  # length
        ("BR18 0036 0305 0000 1000 9795 493C 1", "", PayoutErrorCode.NOT_SEPA, "iban"),
        ("", "", PayoutErrorCode.REQUIRED, "iban"),
        (IBAN, "COBADE", PayoutErrorCode.INVALID_BIC, "bic"),
    ],
)
def test_bad_accounts_are_refused_at_their_field(partner_factory, iban, bic, code, field):
    partner = partner_factory()

    with pytest.raises(DomainError) as refused:
        set_payout_profile(partner, sepa(iban, bic), changed_by="anna@example.com", by_partner=True)

    assert (refused.value.code, refused.value.field) == (code, field)
    assert not PayoutProfile.objects.exists() and not PayoutProfileChange.objects.exists()


def test_iban_and_bic_are_encrypted_at_rest_and_shown_masked(partner_factory):
    partner = partner_factory()

    profile = set_payout_profile(partner, sepa(bic="COBADEFFXXX"), changed_by="anna@example.com", by_partner=True)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM payouts_payoutprofile WHERE id = %s", [profile.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert "DE89370400440532013000" not in stored and "COBADEFFXXX" not in stored and "0532013000" not in stored
    reloaded = PayoutProfile.objects.get(pk=profile.pk)
    assert (reloaded.iban, reloaded.bic, reloaded.iban_masked) == ("DE89370400440532013000", "COBADEFFXXX", "DE89 **** **** **** **30 00")


def test_every_change_is_kept_and_a_changed_iban_waits_for_the_merchant(partner_factory):
    partner = partner_factory()

    first = set_payout_profile(partner, sepa(), changed_by="anna@example.com", by_partner=True)
    assert first.bank_change_pending is False  # the first account holds nothing
    changed = set_payout_profile(partner, sepa(OTHER_IBAN, holder="Anna M."), changed_by="anna@example.com", by_partner=True)
    assert changed.bank_change_pending is True
    confirmed = confirm_bank_change(partner, confirmed_by=FINANCE, note="called Anna back on her known number")
    assert confirmed.bank_change_pending is False
    with pytest.raises(DomainError) as nothing:
        confirm_bank_change(partner, confirmed_by=FINANCE)
    assert nothing.value.code == PayoutErrorCode.NOTHING_TO_CONFIRM

    history = [
        (c.kind, c.method, c.account_holder, c.iban_masked, c.previous_iban_masked, c.by_partner, c.changed_by)
        for c in PayoutProfileChange.objects.filter(partner=partner)
    ]
    assert history == [
        (ProfileChangeKind.SET, PayoutMethod.SEPA, "Anna Muster", "DE89 **** **** **** **30 00", "", True, "anna@example.com"),
        (ProfileChangeKind.SET, PayoutMethod.SEPA, "Anna M.", "AT61 **** **** **** 3201", "DE89 **** **** **** **30 00", True, "anna@example.com"),
        (ProfileChangeKind.CONFIRMED, PayoutMethod.SEPA, "Anna M.", "AT61 **** **** **** 3201", "", False, FINANCE),
    ]


def test_the_same_iban_again_holds_nothing_and_switching_method_keeps_the_account(partner_factory):
    partner = partner_factory()
    set_payout_profile(partner, sepa(), changed_by="anna@example.com", by_partner=True)

    again = set_payout_profile(partner, sepa("de89370400440532013000"), changed_by="anna@example.com", by_partner=True)
    stripe = set_payout_profile(partner, ProfileInput(method="stripe"), changed_by="anna@example.com", by_partner=True)

    assert again.bank_change_pending is False
    assert (stripe.method, stripe.iban_masked, stripe.bank_change_pending) == (PayoutMethod.STRIPE, "DE89 **** **** **** **30 00", False)


def test_unknown_method_and_missing_holder_are_refused(partner_factory):
    partner = partner_factory()

    with pytest.raises(DomainError) as method:
        set_payout_profile(partner, ProfileInput(method="PAYPAL"), changed_by="anna@example.com", by_partner=True)
    with pytest.raises(DomainError) as holder:
        set_payout_profile(partner, sepa(holder=" "), changed_by="anna@example.com", by_partner=True)

    assert (method.value.code, method.value.field) == (PayoutErrorCode.INVALID, "method")
    assert (holder.value.code, holder.value.field) == (PayoutErrorCode.REQUIRED, "account_holder")


def test_merchant_settings_are_encrypted_and_checked(installation):
    settings = set_debtor_account(installation.pk, name="Shop GmbH", iban=IBAN)
    settings = set_stripe_keys(installation.pk, secret_key="sk_test_123", webhook_secret="whsec_abc")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM periods_periodsettings WHERE id = %s", [settings.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert "sk_test_123" not in stored and "whsec_abc" not in stored and "0532013000" not in stored
    assert (settings.debtor_iban, settings.stripe_secret_key, settings.stripe_webhook_secret) == ("DE89370400440532013000", "sk_test_123", "whsec_abc")
    with pytest.raises(DomainError) as bad_key:
        set_stripe_keys(installation.pk, secret_key="pk_test_123")
    assert (bad_key.value.code, bad_key.value.field) == (PayoutErrorCode.INVALID, "secret_key")
