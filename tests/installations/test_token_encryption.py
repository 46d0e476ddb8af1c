"""App tokens at rest: a key of their own, rotated with `saleor-mlm rotate-encryption-key`."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from saleor_mlm.core import crypto
from saleor_mlm.installations.models import Installation

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = "a passphrase of more than thirty-two characters, stretched into a Fernet key"


def rotate(*arguments: str) -> str:
    out = StringIO()
    call_command("rotate_encryption_key", *arguments, stdout=out)
    return out.getvalue()


def stored_tokens() -> dict[str, str]:
    return dict(Installation.objects.values_list("saleor_api_url", "encrypted_auth_token"))


def test_old_tokens_decrypt_during_rotation_and_the_command_reencrypts_them(settings, installation_factory):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = OLD_KEY, []
    first = installation_factory(auth_token="token-a")
    second = installation_factory(auth_token="token-b")
    # Rotation starts: the new key encrypts, the old one only decrypts.
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = NEW_KEY, [OLD_KEY]
    assert [first.auth_token, Installation.objects.get(pk=second.pk).auth_token] == ["token-a", "token-b"]
    third = installation_factory(auth_token="token-c")
    before = stored_tokens()

    out = rotate()

    assert out.splitlines() == [
        f"{first.saleor_api_url}: re-encrypted",
        f"{second.saleor_api_url}: re-encrypted",
        "2 token(s) re-encrypted with the current key, 1 already current, 0 unreadable.",
    ]
    after = stored_tokens()
    assert after[third.saleor_api_url] == before[third.saleor_api_url]
    assert after[first.saleor_api_url] != before[first.saleor_api_url]
    # The old key can go: every token reads with the new key alone.
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    assert [i.auth_token for i in Installation.objects.order_by("pk")] == ["token-a", "token-b", "token-c"]
    assert rotate().splitlines()[-1] == "0 token(s) re-encrypted with the current key, 3 already current, 0 unreadable."


def test_a_dry_run_changes_nothing(settings, installation_factory):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = OLD_KEY, []
    installation = installation_factory(auth_token="token-a")
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = NEW_KEY, [OLD_KEY]
    before = stored_tokens()

    out = rotate("--dry-run")

    assert f"{installation.saleor_api_url}: would re-encrypt" in out
    assert stored_tokens() == before


def test_a_token_no_key_reads_is_reported_and_left_alone(settings, installation_factory):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = OLD_KEY, []
    lost = installation_factory(auth_token="token-lost")
    readable = installation_factory(auth_token="token-kept")
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = NEW_KEY, [OLD_KEY]
    Installation.objects.filter(pk=lost.pk).update(
        encrypted_auth_token=Fernet(Fernet.generate_key()).encrypt(b"token-lost").decode()  # an unknown key
    )
    before = stored_tokens()

    with pytest.raises(CommandError, match=f"no configured key decrypts the token of {lost.saleor_api_url}: add"):
        rotate()

    after = stored_tokens()
    assert after[lost.saleor_api_url] == before[lost.saleor_api_url]
    assert after[readable.saleor_api_url] != before[readable.saleor_api_url]
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    assert Installation.objects.get(pk=readable.pk).auth_token == "token-kept"


def test_new_tokens_are_encrypted_with_the_current_key_only(settings):
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = NEW_KEY, [OLD_KEY]

    token = crypto.encrypt("secret")

    assert crypto.is_current(token)
    with pytest.raises(crypto.InvalidToken):
        Fernet(OLD_KEY.encode()).decrypt(token.encode())


def test_ibans_bics_and_the_stripe_keys_are_rotated_too(settings, installation_factory, partner_factory):
    from saleor_mlm.payouts.balances import payout_settings
    from saleor_mlm.payouts.models import PayoutProfile, PayoutSettings
    from saleor_mlm.payouts.profiles import ProfileInput, set_debtor_account, set_payout_profile, set_stripe_keys

    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = OLD_KEY, []
    installation = installation_factory(auth_token="token-a")
    partner = partner_factory(installation=installation)
    set_payout_profile(
        partner,
        ProfileInput(method="SEPA", account_holder="Carl Muster", iban="DE89370400440532013000"),
        changed_by="carl",
        by_partner=True,
    )
    set_debtor_account(installation.pk, name="Shop GmbH", iban="DE75512108001245126199", bic="GENODEF1M04")
    set_stripe_keys(installation.pk, secret_key="sk_test_rotated", webhook_secret="whsec_rotated")
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEYS_OLD = NEW_KEY, [OLD_KEY]

    assert "would re-encrypt" in rotate("--dry-run") and not crypto.is_current(PayoutProfile.objects.get(partner=partner).encrypted_iban)
    out = rotate()

    assert out.splitlines()[:-1] == [
        f"{installation.saleor_api_url}: re-encrypted",
        "payouts.PayoutProfile.encrypted_bic: 1 value(s) re-encrypted, 0 already current, 0 unreadable.",
        "payouts.PayoutProfile.encrypted_iban: 1 value(s) re-encrypted, 0 already current, 0 unreadable.",
        "payouts.PayoutSettings.encrypted_debtor_bic: 1 value(s) re-encrypted, 0 already current, 0 unreadable.",
        "payouts.PayoutSettings.encrypted_debtor_iban: 1 value(s) re-encrypted, 0 already current, 0 unreadable.",
        "payouts.PayoutSettings.encrypted_stripe_secret_key: 1 value(s) re-encrypted, 0 already current, 0 unreadable.",
        "payouts.PayoutSettings.encrypted_stripe_webhook_secret: 1 value(s) re-encrypted, 0 already current, 0 unreadable.",
    ]
    # The old key can go: every secret reads with the new key alone.
    settings.FIELD_ENCRYPTION_KEYS_OLD = []
    profile, shop = PayoutProfile.objects.get(partner=partner), payout_settings(installation.pk)
    assert (profile.iban, profile.bic) == ("DE89370400440532013000", "COBADEFFXXX")
    assert (shop.debtor_iban, shop.debtor_bic, shop.stripe_secret_key, shop.stripe_webhook_secret) == (
        "DE75512108001245126199",
        "GENODEF1M04",
        "sk_test_rotated",
        "whsec_rotated",
    )
    assert PayoutSettings.objects.count() == 1
    assert "0 value(s) re-encrypted, 1 already current" in rotate()
