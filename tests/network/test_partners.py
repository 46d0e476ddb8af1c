import re
from decimal import Decimal

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import REFERRAL_CODE_ALPHABET, ChangeKind, PartnerStatus, TaxStatus
from saleor_mlm.network import codes as codes_module
from saleor_mlm.network.actions import create_partner
from saleor_mlm.network.error_codes import NetworkErrorCode
from saleor_mlm.network.models import CareAssignment, NetworkChange, Partner

CODE = re.compile(f"^[{REFERRAL_CODE_ALPHABET}]{{8}}$")


def test_create_root_partner(installation):
    partner = create_partner(
        installation,
        email=" anna@example.com ",
        first_name="Anna",
        last_name="Schmidt",
        country="de",
        language="DE",
        payout_currency="eur",
        tax_status=TaxStatus.SMALL_BUSINESS,
        created_by="owner@shop.example",
        reason="signed contract",
    )

    partner.refresh_from_db()
    assert partner.sponsor is None
    assert partner.email == "anna@example.com"
    assert partner.country.code == "DE"
    assert (partner.language, partner.payout_currency, partner.tax_status) == ("de", "EUR", TaxStatus.SMALL_BUSINESS)
    assert partner.status == PartnerStatus.ACTIVE
    assert partner.status_changed_at is not None
    assert CODE.match(partner.referral_code)
    change = NetworkChange.objects.get(partner=partner)
    assert change.kind == ChangeKind.CREATED
    assert change.changed_by == "owner@shop.example"
    assert change.reason == "signed contract"
    assert change.new_value == {
        "source": "merchant",
        "sponsor": None,
        "status": "active",
        "referral_code": partner.referral_code,
        "from_customer_id": None,
    }


def test_create_partner_under_sponsor_given_as_partner_or_code(installation, partner_factory):
    sponsor = partner_factory(referral_code="ANNA2025", first_name="Anna")

    by_instance = create_partner(installation, email="b@example.com", sponsor=sponsor, created_by="owner@shop.example")
    by_code = create_partner(installation, email="c@example.com", sponsor=" anna2025 ", created_by="owner@shop.example")

    assert by_instance.sponsor_id == sponsor.pk
    assert by_code.sponsor_id == sponsor.pk
    change = NetworkChange.objects.get(partner=by_code)
    assert change.new_value["sponsor"] == {"id": sponsor.pk, "referral_code": "ANNA2025", "name": "Anna"}


def test_unknown_sponsor_code_is_refused(installation):
    with pytest.raises(DomainError) as error:
        create_partner(installation, email="b@example.com", sponsor="NOPE", created_by="owner@shop.example")

    assert error.value.code == "UNKNOWN_SPONSOR"
    assert error.value.field == "sponsor"
    assert error.value.message == "No partner has the referral code 'NOPE'."
    assert error.value.message_dict == {"sponsor": ["No partner has the referral code 'NOPE'."]}
    assert not Partner.objects.exists()


def test_sponsor_of_another_installation_is_refused(installation_factory, partner_factory):
    other = partner_factory(installation=installation_factory())

    with pytest.raises(DomainError) as error:
        create_partner(installation_factory(), email="b@example.com", sponsor=other, created_by="x@example.com")

    assert error.value.error_code is NetworkErrorCode.WRONG_INSTALLATION


def test_terminated_sponsor_is_refused_inactive_is_accepted(installation, partner_factory):
    gone = partner_factory(status=PartnerStatus.TERMINATED)
    resting = partner_factory(status=PartnerStatus.INACTIVE)

    with pytest.raises(DomainError) as error:
        create_partner(installation, email="b@example.com", sponsor=gone, created_by="owner@shop.example")
    partner = create_partner(installation, email="c@example.com", sponsor=resting, created_by="owner@shop.example")

    assert error.value.code == "TERMINATED"
    assert partner.sponsor_id == resting.pk


def test_chosen_referral_code_is_normalized_and_unique_case_insensitively(installation):
    first = create_partner(installation, email="a@example.com", referral_code=" summer-anna ", created_by="o@example.com")

    with pytest.raises(DomainError) as error:
        create_partner(installation, email="b@example.com", referral_code="SUMMER-ANNA", created_by="o@example.com")

    assert first.referral_code == "SUMMER-ANNA"
    assert error.value.code == "DUPLICATE_REFERRAL_CODE"
    assert error.value.field == "referral_code"
    assert Partner.objects.count() == 1


def test_same_referral_code_in_two_installations_is_fine(installation_factory):
    one = create_partner(installation_factory(), email="a@example.com", referral_code="ANNA", created_by="o@example.com")
    two = create_partner(installation_factory(), email="a@example.com", referral_code="ANNA", created_by="o@example.com")

    assert one.referral_code == two.referral_code == "ANNA"


@pytest.mark.parametrize("code", ["ab", "has space", "ümlaut", "x" * 33, "-LEADING"])
def test_malformed_referral_code_is_refused(installation, code):
    with pytest.raises(DomainError) as error:
        create_partner(installation, email="a@example.com", referral_code=code, created_by="o@example.com")

    assert error.value.code == "INVALID_REFERRAL_CODE"


def test_generated_code_is_drawn_again_on_collision(installation, partner_factory, monkeypatch):
    partner_factory(referral_code="AAAAAAAA")
    draws = iter(["AAAAAAAA", "BBBBBBBB"])
    monkeypatch.setattr(codes_module, "generate_code", lambda: next(draws))

    partner = create_partner(installation, email="a@example.com", created_by="o@example.com")

    assert partner.referral_code == "BBBBBBBB"


def test_generated_codes_are_distinct(installation):
    partners = [create_partner(installation, email=f"p{i}@example.com", created_by="o@example.com") for i in range(30)]

    assert len({p.referral_code for p in partners}) == 30
    assert all(CODE.match(p.referral_code) for p in partners)


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"email": "not-an-email"}, "email", "INVALID"),
        ({"country": "XX"}, "country", "INVALID"),
        ({"language": "german"}, "language", "INVALID"),
        ({"payout_currency": "EURO"}, "payout_currency", "INVALID"),
        ({"tax_status": "vat_free"}, "tax_status", "INVALID"),
        ({"tax_status": TaxStatus.REVERSE_CHARGE}, "vat_id", "VAT_ID_REQUIRED"),
        ({"vat_id": "123"}, "vat_id", "INVALID"),
        ({"created_by": " "}, "changed_by", "INVALID"),
    ],
)
def test_invalid_details_are_refused(installation, fields, field, code):
    kwargs = {"email": "a@example.com", "created_by": "o@example.com", **fields}

    with pytest.raises(DomainError) as error:
        create_partner(installation, **kwargs)

    assert (error.value.field, error.value.code) == (field, code)
    assert not Partner.objects.exists()


def test_reverse_charge_with_vat_id(installation):
    partner = create_partner(
        installation,
        email="a@example.com",
        country="AT",
        tax_status=TaxStatus.REVERSE_CHARGE,
        vat_id="atu 1358-5627",
        created_by="o@example.com",
    )

    assert partner.vat_id == "ATU13585627"


def test_a_saleor_user_is_one_partner_at_most(installation, partner_factory):
    partner_factory(saleor_user_id="VXNlcjox")

    with pytest.raises(DomainError) as error:
        create_partner(installation, email="a@example.com", saleor_user_id="VXNlcjox", created_by="o@example.com")

    assert error.value.code == "ALREADY_PARTNER"


def test_merchant_makes_an_existing_customer_a_partner(installation, partner_factory, customer_factory, care_assignment_factory):
    sponsor = partner_factory()
    betreuer = partner_factory()
    customer = customer_factory(sponsor=sponsor, saleor_user_id="VXNlcjo3")
    care_assignment_factory(customer, betreuer, share="0.3")

    partner = create_partner(installation, email="k@example.com", saleor_user_id="VXNlcjo3", created_by="o@example.com")

    customer.refresh_from_db()
    assert partner.sponsor_id == sponsor.pk  # the customer's sponsor, none being given
    assert customer.converted_to_id == partner.pk
    assert customer.converted_at is not None
    care = CareAssignment.objects.get(partner=partner)
    assert (care.care_partner_id, care.share, care.valid_to) == (betreuer.pk, Decimal("0.3000"), None)
    assert CareAssignment.objects.get(customer=customer).valid_to == care.valid_from
    assert NetworkChange.objects.get(partner=partner, kind=ChangeKind.CREATED).new_value["from_customer_id"] == customer.pk


def test_voucher_code_is_scheduled_after_commit(installation, django_capture_on_commit_callbacks, settings):
    settings.SALEOR_WRITE_BACK = False

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        partner = create_partner(installation, email="a@example.com", created_by="o@example.com")
        partner.refresh_from_db()
        assert partner.voucher_code == ""

    assert len(callbacks) == 1
    callbacks[0]()
    partner.refresh_from_db()
    assert partner.voucher_code == partner.referral_code


def test_nothing_is_scheduled_when_creation_fails(installation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError):
        create_partner(installation, email="a@example.com", sponsor="NOPE", created_by="o@example.com")

    assert callbacks == []
