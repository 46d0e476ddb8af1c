"""`update_partner`: details change, checked as a whole, recorded in the history; the
referral code changes only while the partner has no voucher code in Saleor."""

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import ChangeKind, TaxStatus
from saleor_mlm.network.actions.partners import update_partner
from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.network.models import NetworkChange, Partner

STAFF = "staff@shop.example"


@pytest.fixture
def anna(partner_factory):
    return partner_factory(first_name="Anna", last_name="Alt", email="anna@example.com", referral_code="ANNA1", country="DE")


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_details_change_and_are_recorded(anna):
    change = update_partner(
        anna,
        changed_by=STAFF,
        reason="married",
        last_name=" Neu ",
        email=" anna.neu@example.com ",
        country="at",
        tax_status=TaxStatus.REVERSE_CHARGE,
        vat_id="ATU 135.856-27",
        first_name="Anna",  # unchanged: not recorded
    )

    stored = Partner.objects.get(pk=anna.pk)
    assert (stored.last_name, stored.email, stored.country.code, stored.tax_status, stored.vat_id) == (
        "Neu",
        "anna.neu@example.com",
        "AT",
        TaxStatus.REVERSE_CHARGE,
        "ATU13585627",
    )
    assert (anna.last_name, anna.email) == ("Neu", "anna.neu@example.com")
    assert change.kind == ChangeKind.DETAILS
    assert (change.changed_by, change.reason) == (STAFF, "married")
    assert change.old_value == {"last_name": "Alt", "email": "anna@example.com", "country": "DE", "tax_status": "regular", "vat_id": ""}
    assert change.new_value == {"last_name": "Neu", "email": "anna.neu@example.com", "country": "AT", "tax_status": "reverse_charge", "vat_id": "ATU13585627"}


def test_nothing_changed_is_no_change(anna):
    assert update_partner(anna, changed_by=STAFF, first_name="Anna", email="anna@example.com", referral_code="anna1") is None
    assert not NetworkChange.objects.filter(partner=anna).exists()


def test_details_are_checked_as_a_whole(anna):
    no_vat = refusal(lambda: update_partner(anna, changed_by=STAFF, tax_status=TaxStatus.REVERSE_CHARGE))
    bad_email = refusal(lambda: update_partner(anna, changed_by=STAFF, email="not-an-address"))
    bad_country = refusal(lambda: update_partner(anna, changed_by=STAFF, country="XX"))
    no_actor = refusal(lambda: update_partner(anna, changed_by=" ", first_name="B"))

    assert (no_vat.error_code, no_vat.field) == (NetworkErrorCode.VAT_ID_REQUIRED, "vat_id")
    assert (bad_email.error_code, bad_email.field) == (NetworkErrorCode.INVALID, "email")
    assert (bad_country.error_code, bad_country.field) == (NetworkErrorCode.INVALID, "country")
    assert (no_actor.error_code, no_actor.field) == (NetworkErrorCode.INVALID, "changed_by")
    assert Partner.objects.get(pk=anna.pk).tax_status == TaxStatus.REGULAR
    assert not NetworkChange.objects.exists()


def test_another_partners_email_is_refused(anna, partner_factory):
    partner_factory(email="bert@example.com")

    error = refusal(lambda: update_partner(anna, changed_by=STAFF, email="BERT@example.com"))

    assert (error.error_code, error.field) == (NetworkErrorCode.ALREADY_PARTNER, "email")


def test_referral_code_changes_before_the_voucher_code_exists(anna):
    update_partner(anna, changed_by=STAFF, referral_code=" anna-2026 ")

    assert Partner.objects.get(pk=anna.pk).referral_code == "ANNA-2026"
    assert NetworkChange.objects.get(partner=anna).new_value == {"referral_code": "ANNA-2026"}


def test_referral_code_is_unique_and_well_formed(anna, partner_factory):
    partner_factory(referral_code="BERT1")
    partner_factory(referral_code="CARL1", voucher_code="OLDCARL")

    taken = refusal(lambda: update_partner(anna, changed_by=STAFF, referral_code="bert1"))
    a_voucher_code = refusal(lambda: update_partner(anna, changed_by=STAFF, referral_code="oldcarl"))
    malformed = refusal(lambda: update_partner(anna, changed_by=STAFF, referral_code="a b"))

    assert (taken.error_code, taken.field) == (NetworkErrorCode.DUPLICATE_REFERRAL_CODE, "referral_code")
    assert a_voucher_code.error_code == NetworkErrorCode.DUPLICATE_REFERRAL_CODE
    assert (malformed.error_code, malformed.field) == (NetworkErrorCode.INVALID_REFERRAL_CODE, "referral_code")


def test_referral_code_stays_once_it_is_the_voucher_code(anna):
    Partner.objects.filter(pk=anna.pk).update(voucher_code="ANNA1")
    anna.refresh_from_db()

    error = refusal(lambda: update_partner(anna, changed_by=STAFF, referral_code="ANNA-NEU", first_name="Anne"))

    assert (error.error_code, error.field) == (NetworkErrorCode.INVALID_REFERRAL_CODE, "referral_code")
    assert "voucher code 'ANNA1'" in error.message
    stored = Partner.objects.get(pk=anna.pk)
    assert (stored.referral_code, stored.first_name) == ("ANNA1", "Anna")


def test_sponsor_and_status_are_not_details(anna):
    with pytest.raises(TypeError, match="sponsor, status"):
        update_partner(anna, changed_by=STAFF, status="inactive", sponsor=None)
