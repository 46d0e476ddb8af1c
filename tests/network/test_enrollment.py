from decimal import Decimal

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import ChangeKind, PartnerStatus
from saleor_mlm.network.actions import enroll_customer_as_partner
from saleor_mlm.network.models import CareAssignment, Customer, NetworkChange, Partner

USER = "VXNlcjo0Nw=="


def enroll(installation, **kwargs):
    kwargs.setdefault("saleor_user_id", USER)
    kwargs.setdefault("email", "kim@example.com")
    return enroll_customer_as_partner(installation, **kwargs)


def test_enroll_under_a_referral_code(installation, partner_factory):
    sponsor = partner_factory(referral_code="ANNA2025")

    partner = enroll(installation, sponsor_referral_code="anna2025", first_name="Kim", country="AT", language="de")

    assert partner.sponsor_id == sponsor.pk
    assert partner.saleor_user_id == USER
    assert partner.country.code == "AT"
    change = NetworkChange.objects.get(partner=partner)
    assert change.kind == ChangeKind.CREATED
    assert change.changed_by == "kim@example.com"
    assert change.reason == "storefront enrollment"
    assert change.new_value["source"] == "enrollment"


def test_unknown_code_is_a_clear_error_and_writes_nothing(installation):
    with pytest.raises(DomainError) as error:
        enroll(installation, sponsor_referral_code="nobody1")

    assert error.value.code == "UNKNOWN_SPONSOR"
    assert error.value.field == "sponsor_referral_code"
    assert error.value.message == "No partner has the referral code 'NOBODY1'."
    assert not Partner.objects.exists()
    assert not NetworkChange.objects.exists()


@pytest.mark.parametrize("status", [PartnerStatus.INACTIVE, PartnerStatus.TERMINATED])
def test_sponsor_must_be_active(installation, partner_factory, status):
    partner_factory(referral_code="RESTING", status=status)

    with pytest.raises(DomainError) as error:
        enroll(installation, sponsor_referral_code="RESTING")

    assert error.value.code == "SPONSOR_NOT_ACTIVE"


def test_must_be_logged_in(installation, partner_factory):
    partner_factory(referral_code="ANNA")

    with pytest.raises(DomainError) as error:
        enroll(installation, saleor_user_id=" ", sponsor_referral_code="ANNA")

    assert (error.value.code, error.value.field) == ("INVALID", "saleor_user_id")


def test_already_a_partner(installation, partner_factory):
    partner_factory(referral_code="ANNA")
    partner_factory(saleor_user_id=USER)

    with pytest.raises(DomainError) as error:
        enroll(installation, sponsor_referral_code="ANNA")

    assert error.value.code == "ALREADY_PARTNER"


def test_email_of_an_existing_partner(installation, partner_factory):
    partner_factory(referral_code="ANNA")
    partner_factory(email="KIM@example.com")  # created by the merchant, no Saleor user yet

    with pytest.raises(DomainError) as error:
        enroll(installation, sponsor_referral_code="ANNA")

    assert (error.value.code, error.value.field) == ("ALREADY_PARTNER", "email")


def test_known_customer_without_code_keeps_its_sponsor(installation, partner_factory, customer_factory):
    sponsor = partner_factory()
    customer = customer_factory(sponsor=sponsor, saleor_user_id=USER)

    partner = enroll(installation)

    customer.refresh_from_db()
    assert partner.sponsor_id == sponsor.pk
    assert customer.converted_to_id == partner.pk
    assert NetworkChange.objects.get(partner=partner).customer_id == customer.pk


def test_known_customer_with_its_own_sponsors_code(installation, partner_factory, customer_factory):
    sponsor = partner_factory(referral_code="ANNA")
    customer_factory(sponsor=sponsor, saleor_user_id=USER)

    partner = enroll(installation, sponsor_referral_code="ANNA")

    assert partner.sponsor_id == sponsor.pk


def test_customer_protection_refuses_another_partners_code(installation, partner_factory, customer_factory):
    sponsor = partner_factory(referral_code="ANNA", first_name="Anna")
    partner_factory(referral_code="POACHER")
    customer_factory(sponsor=sponsor, saleor_user_id=USER)

    with pytest.raises(DomainError) as error:
        enroll(installation, sponsor_referral_code="POACHER")

    assert error.value.code == "CUSTOMER_PROTECTED"
    assert error.value.message == "You are a customer of Anna; enroll with their code 'ANNA' or without a code."
    assert not Partner.objects.filter(saleor_user_id=USER).exists()


def test_house_customer_enrolls_under_a_code(installation, partner_factory, customer_factory):
    sponsor = partner_factory(referral_code="ANNA")
    customer = customer_factory(saleor_user_id=USER)

    partner = enroll(installation, sponsor_referral_code="ANNA")

    assert partner.sponsor_id == sponsor.pk
    customer.refresh_from_db()
    assert customer.sponsor_id is None  # the customer record's history stays as it was
    assert customer.converted_to_id == partner.pk


def test_guest_customer_with_the_same_email_is_taken_over(installation, partner_factory, customer_factory):
    sponsor = partner_factory()
    guest = customer_factory(sponsor=sponsor, email="Kim@Example.com")

    partner = enroll(installation)

    guest.refresh_from_db()
    assert partner.sponsor_id == sponsor.pk
    assert (guest.saleor_user_id, guest.converted_to_id) == (USER, partner.pk)


def test_no_sponsor_at_all(installation):
    with pytest.raises(DomainError) as error:
        enroll(installation)
    partner = enroll(installation, require_sponsor=False)

    assert error.value.code == "SPONSOR_REQUIRED"
    assert partner.sponsor is None


def test_betreuer_of_the_customer_stays_unless_it_becomes_the_sponsor(installation, partner_factory, customer_factory, care_assignment_factory):
    sponsor = partner_factory(referral_code="ANNA")
    betreuer = partner_factory(referral_code="BEN")
    kim = customer_factory(sponsor=sponsor, saleor_user_id=USER)
    care_assignment_factory(kim, betreuer, share="0.4")
    lea = customer_factory(saleor_user_id="VXNlcjo0OA==")  # house customer looked after by Ben
    care_assignment_factory(lea, betreuer, share="0.4")

    kim_partner = enroll(installation)
    lea_partner = enroll(installation, saleor_user_id="VXNlcjo0OA==", email="lea@example.com", sponsor_referral_code="BEN")

    kept = CareAssignment.objects.get(partner=kim_partner)
    assert (kept.care_partner_id, kept.share) == (betreuer.pk, Decimal("0.4000"))
    assert not CareAssignment.objects.filter(partner=lea_partner).exists()
    assert not CareAssignment.objects.filter(customer__in=[kim, lea], valid_to__isnull=True).exists()
    assert Customer.objects.filter(converted_to__isnull=False).count() == 2
