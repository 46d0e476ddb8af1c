"""Tax profiles: versions with who, when and valid from; the version in force on a day;
what each tax status needs; tax numbers and VAT ids checked per country; the lock."""

import datetime

import pytest
from django.utils import timezone, translation

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import ChangeKind, TaxStatus
from saleor_mlm.network.actions.partners import update_partner
from saleor_mlm.network.actions.tax_profiles import ProfileInput, lock_tax_profile, set_tax_profile
from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.network.fetch import tax_profiles_in_force
from saleor_mlm.network.models import NetworkChange, Partner, TaxProfile

STAFF = "staff@shop.example"
BERLIN = dict(legal_name="Anna Berg", street="Unter den Linden 1", postal_code="10117", city="Berlin", country="DE")
VIENNA = dict(legal_name="Berg GmbH", street="Ring 2", postal_code="1010", city="Wien", country="AT")
ZURICH = dict(legal_name="Berg AG", street="Bahnhofstrasse 3", postal_code="8001", city="Zürich", country="CH")


def profile(address=BERLIN, **fields) -> ProfileInput:
    return ProfileInput(**{**address, "tax_status": TaxStatus.REGULAR, **fields})


@pytest.fixture
def anna(partner_factory):
    return partner_factory(first_name="Anna", email="anna@example.com", referral_code="ANNA1", country="DE")


def refusal(call) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value


def test_a_version_is_kept_with_who_and_when_and_the_partner_follows(anna):
    first = set_tax_profile(anna, profile(tax_number="21/815/08150"), changed_by="anna@example.com", by_partner=True)
    second = set_tax_profile(
        anna,
        profile(VIENNA, tax_status=TaxStatus.REVERSE_CHARGE, vat_id="atu 1358 5627"),
        changed_by=STAFF,
        by_partner=False,
        valid_from=timezone.localdate() + datetime.timedelta(days=10),
        reason="moved to Vienna",
    )

    assert (first.legal_name, first.tax_number, first.tax_status, first.changed_by, first.valid_from) == (
        "Anna Berg", "21/815/08150", TaxStatus.REGULAR, "anna@example.com", timezone.localdate()
    )
    assert (second.vat_id, second.country.code, second.reason) == ("ATU13585627", "AT", "moved to Vienna")
    stored = Partner.objects.get(pk=anna.pk)
    assert (stored.tax_status, stored.vat_id) == (TaxStatus.REVERSE_CHARGE, "ATU13585627")
    assert TaxProfile.objects.filter(partner=anna).count() == 2


def test_the_version_in_force_on_a_day(anna, partner_factory):
    today = timezone.localdate()
    ben = partner_factory(email="ben@example.com")
    old = set_tax_profile(anna, profile(tax_number="2181508150"), changed_by=STAFF, by_partner=False, valid_from=today - datetime.timedelta(days=30))
    new = set_tax_profile(anna, profile(tax_status=TaxStatus.SMALL_BUSINESS, tax_number="2181508150"), changed_by=STAFF, by_partner=False, valid_from=today)
    # A correction entered later for the same day wins over the earlier entry.
    fixed = set_tax_profile(anna, profile(tax_status=TaxStatus.PRIVATE), changed_by=STAFF, by_partner=False, valid_from=today)

    assert tax_profiles_in_force([anna.pk, ben.pk], today - datetime.timedelta(days=1)) == {anna.pk: old}
    assert tax_profiles_in_force([anna.pk, ben.pk], today) == {anna.pk: fixed}
    assert tax_profiles_in_force([anna.pk], today - datetime.timedelta(days=31)) == {}
    assert new.pk < fixed.pk


@pytest.mark.parametrize(
    "fields, field, code",
    [
        (dict(legal_name=" "), "legal_name", NetworkErrorCode.REQUIRED),
        (dict(street=""), "street", NetworkErrorCode.REQUIRED),
        (dict(country=""), "country", NetworkErrorCode.REQUIRED),
        (dict(country="XX"), "country", NetworkErrorCode.INVALID),
        (dict(tax_status="vat_free"), "tax_status", NetworkErrorCode.INVALID),
        (dict(), "tax_number", NetworkErrorCode.TAX_ID_REQUIRED),  # REGULAR without tax number or VAT id
        (dict(tax_status=TaxStatus.SMALL_BUSINESS), "tax_number", NetworkErrorCode.TAX_ID_REQUIRED),
        (dict(tax_number="12345"), "tax_number", NetworkErrorCode.INVALID),  # not a Steuernummer
        (dict(vat_id="DE123456789"), "vat_id", NetworkErrorCode.INVALID),  # wrong check digit
        (dict(tax_status=TaxStatus.REVERSE_CHARGE, vat_id="DE136695976"), "tax_status", NetworkErrorCode.TAX_STATUS_COUNTRY),
        (dict(VIENNA, tax_status=TaxStatus.REVERSE_CHARGE), "vat_id", NetworkErrorCode.VAT_ID_REQUIRED),
        (dict(ZURICH, tax_status=TaxStatus.REVERSE_CHARGE, vat_id="CHE-116.281.710 MWST"), "tax_status", NetworkErrorCode.TAX_STATUS_COUNTRY),
        (dict(VIENNA, tax_status=TaxStatus.NON_EU), "tax_status", NetworkErrorCode.TAX_STATUS_COUNTRY),
        # Its documents are reverse charge (AE): EN 16931 BR-AE-02 names the supplier's id.
        (dict(ZURICH, tax_status=TaxStatus.NON_EU), "tax_number", NetworkErrorCode.TAX_ID_REQUIRED),
    ],
)
def test_refusals_name_the_field_and_write_nothing(anna, fields, field, code):
    error = refusal(lambda: set_tax_profile(anna, profile(**fields), changed_by=STAFF, by_partner=False))

    assert (error.code, error.field) == (code, field)
    assert not TaxProfile.objects.exists()
    assert Partner.objects.get(pk=anna.pk).tax_status == TaxStatus.REGULAR


@pytest.mark.parametrize(
    "language, no_tax_id, no_vat_id",
    [
        (
            "de",
            "Eine Gutschrift nennt die Steuernummer oder die USt-IdNr. des Partners: Geben Sie eine davon an.",
            "Reverse Charge setzt die USt-IdNr. des Partners voraus.",
        ),
        ("en", "A credit note names the partner's tax number or VAT id: give one of them.", "Reverse charge needs the partner's VAT id."),
    ],
)
def test_a_missing_tax_id_is_explained_in_the_language_of_the_request(anna, language, no_tax_id, no_vat_id):
    with translation.override(language):
        non_eu = refusal(lambda: set_tax_profile(anna, profile(**ZURICH, tax_status=TaxStatus.NON_EU), changed_by=STAFF, by_partner=False))
        reverse_charge = refusal(lambda: update_partner(anna, changed_by=STAFF, country="AT", tax_status=TaxStatus.REVERSE_CHARGE))

    assert (non_eu.field, non_eu.message) == ("tax_number", no_tax_id)
    assert (reverse_charge.field, reverse_charge.message) == ("vat_id", no_vat_id)


@pytest.mark.parametrize(
    "fields, vat_id",
    [
        (dict(tax_number="21/815/08150"), ""),
        (dict(vat_id="DE 136 695 976"), "DE136695976"),
        (dict(ZURICH, tax_status=TaxStatus.NON_EU, vat_id="CHE-116.281.710 MWST"), "CHE116281710MWST"),
        (dict(tax_status=TaxStatus.PRIVATE), ""),
    ],
)
def test_accepted_profiles(anna, fields, vat_id):
    version = set_tax_profile(anna, profile(**fields), changed_by=STAFF, by_partner=False)

    assert version.vat_id == vat_id


def test_a_locked_profile_is_changed_by_the_merchant_only(anna):
    set_tax_profile(anna, profile(tax_number="2181508150"), changed_by="anna@example.com", by_partner=True)

    lock_tax_profile(anna, locked=True, changed_by=STAFF, reason="checked against the trade register")
    error = refusal(lambda: set_tax_profile(anna, profile(tax_status=TaxStatus.PRIVATE), changed_by="anna@example.com", by_partner=True))
    set_tax_profile(anna, profile(tax_status=TaxStatus.PRIVATE), changed_by=STAFF, by_partner=False)
    lock_tax_profile(anna, locked=False, changed_by=STAFF)

    assert (error.code, error.field) == (NetworkErrorCode.TAX_PROFILE_LOCKED, "tax_profile")
    assert list(TaxProfile.objects.filter(partner=anna).values_list("tax_status", "changed_by")) == [
        (TaxStatus.REGULAR, "anna@example.com"),
        (TaxStatus.PRIVATE, STAFF),
    ]
    changes = NetworkChange.objects.filter(partner=anna, kind=ChangeKind.TAX_PROFILE).order_by("id")
    assert [(c.old_value, c.new_value, c.reason) for c in changes] == [
        ({"locked": False}, {"locked": True}, "checked against the trade register"),
        ({"locked": True}, {"locked": False}, ""),
    ]
    assert Partner.objects.get(pk=anna.pk).tax_profile_locked_at is None


def test_the_partner_cannot_date_its_changes(anna):
    error = refusal(
        lambda: set_tax_profile(
            anna, profile(tax_status=TaxStatus.PRIVATE), changed_by="anna", by_partner=True, valid_from=datetime.date(2020, 1, 1)
        )
    )

    assert (error.code, error.field) == (NetworkErrorCode.INVALID, "valid_from")


def test_a_profile_cannot_be_locked_before_it_exists(anna):
    error = refusal(lambda: lock_tax_profile(anna, locked=True, changed_by=STAFF))

    assert (error.code, Partner.objects.get(pk=anna.pk).tax_profile_locked_at) == (NetworkErrorCode.REQUIRED, None)


def test_a_status_change_in_the_partner_details_adds_a_version(anna):
    set_tax_profile(anna, profile(tax_number="2181508150"), changed_by=STAFF, by_partner=False)

    update_partner(anna, changed_by=STAFF, tax_status=TaxStatus.SMALL_BUSINESS, reason="below the §19 limit")

    latest = TaxProfile.objects.filter(partner=anna).order_by("-id").first()
    assert (latest.tax_status, latest.tax_number, latest.legal_name, latest.reason) == (
        TaxStatus.SMALL_BUSINESS, "2181508150", "Anna Berg", "below the §19 limit"
    )
