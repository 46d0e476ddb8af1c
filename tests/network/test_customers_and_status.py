import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import AttributionSource, ChangeKind, PartnerStatus
from saleor_mlm.network.actions import (
    assign_care,
    assign_house_customer,
    change_customer_sponsor,
    get_or_create_customer,
    set_status,
    update_customer,
)
from saleor_mlm.network.models import Customer, NetworkChange

OWNER = "owner@shop.example"


# -- customers --------------------------------------------------------------------------


def test_get_or_create_customer_by_saleor_user(installation):
    created, was_created = get_or_create_customer(installation, saleor_user_id="VXNlcjox", email="kim@example.com")
    found, found_created = get_or_create_customer(installation, saleor_user_id="VXNlcjox", email="new@example.com")

    assert (was_created, found_created) == (True, False)
    assert found == created
    assert created.is_house_customer


def test_guest_customers_are_found_by_email(installation):
    guest, _ = get_or_create_customer(installation, email="Kim@Example.com")
    again, created = get_or_create_customer(installation, email="kim@example.com")

    assert again == guest
    assert not created
    assert guest.saleor_user_id == ""


def test_a_registered_user_takes_over_its_guest_record(installation):
    guest, _ = get_or_create_customer(installation, email="kim@example.com")

    registered, created = get_or_create_customer(installation, saleor_user_id="VXNlcjoy", email="kim@example.com")

    assert registered == guest
    assert not created
    guest.refresh_from_db()
    assert guest.saleor_user_id == "VXNlcjoy"
    assert Customer.objects.count() == 1


def test_another_users_record_is_not_taken(installation):
    get_or_create_customer(installation, saleor_user_id="VXNlcjox", email="shared@example.com")

    other, created = get_or_create_customer(installation, saleor_user_id="VXNlcjoy", email="shared@example.com")

    assert created
    assert Customer.objects.count() == 2


def test_update_customer_records_only_what_changed(partner_factory, customer_factory):
    sponsor = partner_factory(referral_code="ANNA")
    customer = customer_factory(sponsor, email="kim@example.com", first_name="Kim")

    change = update_customer(customer, changed_by="system", reason="changed in Saleor", email="kim@new.example.com", first_name="Kim")

    customer.refresh_from_db()
    assert (customer.email, customer.first_name, customer.sponsor) == ("kim@new.example.com", "Kim", sponsor)
    assert (change.kind, change.customer, change.changed_by, change.reason) == (ChangeKind.DETAILS, customer, "system", "changed in Saleor")
    assert (change.old_value, change.new_value) == ({"email": "kim@example.com"}, {"email": "kim@new.example.com"})
    assert update_customer(customer, changed_by="system", email="kim@new.example.com") is None
    assert NetworkChange.objects.filter(customer=customer).count() == 1


def test_update_customer_links_a_guest_once(customer_factory):
    guest = customer_factory(email="kim@example.com")
    customer_factory(email="other@example.com", saleor_user_id="VXNlcjoz")

    update_customer(guest, changed_by="system", saleor_user_id="VXNlcjoy")

    guest.refresh_from_db()
    assert guest.saleor_user_id == "VXNlcjoy"
    for user_id in ("VXNlcjo0", "", "VXNlcjoz"):  # another user, none, one another customer holds
        with pytest.raises(DomainError) as refused:
            update_customer(guest, changed_by="system", saleor_user_id=user_id)
        assert (refused.value.code, refused.value.field) == ("INVALID", "saleor_user_id")
    fresh = customer_factory(email="new@example.com")
    with pytest.raises(DomainError, match="has a customer record already"):
        update_customer(fresh, changed_by="system", saleor_user_id="VXNlcjoz")
    with pytest.raises(TypeError):
        update_customer(guest, changed_by="system", sponsor=None)
    guest.refresh_from_db()
    assert guest.saleor_user_id == "VXNlcjoy"


def test_assign_house_customer(partner_factory, customer_factory):
    sponsor = partner_factory(first_name="Anna", referral_code="ANNA")
    house = customer_factory()

    result = assign_house_customer(house, sponsor, changed_by=OWNER, reason="phoned in")

    house.refresh_from_db()
    assert result.changed
    assert (result.old_sponsor, result.new_sponsor, result.ended_care) == (None, sponsor, None)
    assert house.sponsor == sponsor
    assert house.attribution_source == AttributionSource.MANUAL
    assert house.attributed_at is not None
    change = NetworkChange.objects.get(customer=house)
    assert (change.kind, change.changed_by, change.reason) == (ChangeKind.SPONSOR, OWNER, "phoned in")
    assert change.old_value == {"sponsor": None}
    assert change.new_value == {"sponsor": {"id": sponsor.pk, "referral_code": "ANNA", "name": "Anna"}, "source": "manual"}


def test_first_attribution_with_a_source(partner_factory, customer_factory):
    sponsor = partner_factory()
    house = customer_factory()

    assign_house_customer(house, sponsor, changed_by="system", source=AttributionSource.VOUCHER)

    house.refresh_from_db()
    assert house.attribution_source == AttributionSource.VOUCHER


def test_customer_protection(partner_factory, customer_factory):
    sponsor = partner_factory()
    customer = customer_factory(sponsor=sponsor)

    same = assign_house_customer(customer, sponsor, changed_by=OWNER)
    with pytest.raises(DomainError) as error:
        assign_house_customer(customer, partner_factory(), changed_by=OWNER)

    assert not same.changed
    assert error.value.code == "CUSTOMER_PROTECTED"
    customer.refresh_from_db()
    assert customer.sponsor == sponsor


def test_house_customer_given_to_its_betreuer_ends_the_care(partner_factory, customer_factory):
    betreuer = partner_factory()
    house = customer_factory()
    care = assign_care(house, betreuer, share="1", set_by=OWNER)

    result = assign_house_customer(house, betreuer, changed_by=OWNER, reason="Betreuer takes over")

    care.refresh_from_db()
    assert result.ended_care == care
    assert care.valid_to is not None


def test_merchant_moves_a_customer_with_a_reason(partner_factory, customer_factory):
    old = partner_factory()
    new = partner_factory()
    customer = customer_factory(sponsor=old, attribution_source=AttributionSource.VOUCHER)

    with pytest.raises(DomainError) as error:
        change_customer_sponsor(customer, new, changed_by=OWNER, reason="")
    moved = change_customer_sponsor(customer, new, changed_by=OWNER, reason="complaint")
    back = change_customer_sponsor(customer, None, changed_by=OWNER, reason="left the partner")

    assert error.value.code == "REASON_REQUIRED"
    assert (moved.old_sponsor, moved.new_sponsor) == (old, new)
    assert (back.old_sponsor, back.new_sponsor) == (new, None)
    customer.refresh_from_db()
    assert customer.is_house_customer
    assert customer.attribution_source == AttributionSource.NONE
    assert NetworkChange.objects.filter(customer=customer, kind=ChangeKind.SPONSOR).count() == 2


# -- status -----------------------------------------------------------------------------


def test_set_inactive_and_back_with_history(partner_factory):
    partner = partner_factory()

    first = set_status(partner, PartnerStatus.INACTIVE, changed_by=OWNER, reason="no orders for a year")
    second = set_status(partner, PartnerStatus.ACTIVE, changed_by=OWNER)

    partner.refresh_from_db()
    assert partner.status == PartnerStatus.ACTIVE
    assert (first.old_value, first.new_value, first.reason) == ({"status": "active"}, {"status": "inactive"}, "no orders for a year")
    assert (second.old_value, second.new_value) == ({"status": "inactive"}, {"status": "active"})
    assert list(NetworkChange.objects.filter(partner=partner).values_list("kind", flat=True)) == [ChangeKind.STATUS] * 2


def test_terminate_needs_a_reason_and_records_it(partner_factory):
    partner = partner_factory()

    with pytest.raises(DomainError) as error:
        set_status(partner, PartnerStatus.TERMINATED, changed_by=OWNER)
    set_status(partner, PartnerStatus.TERMINATED, changed_by=OWNER, reason="contract cancelled by the partner")

    partner.refresh_from_db()
    assert error.value.code == "REASON_REQUIRED"
    assert partner.status == PartnerStatus.TERMINATED
    assert partner.status_reason == "contract cancelled by the partner"
    assert partner.status_changed_at is not None


def test_terminated_is_final_unless_reactivated_explicitly(partner_factory):
    partner = partner_factory(status=PartnerStatus.TERMINATED)

    with pytest.raises(DomainError) as error:
        set_status(partner, PartnerStatus.ACTIVE, changed_by=OWNER)
    change = set_status(partner, PartnerStatus.ACTIVE, changed_by=OWNER, reason="new contract", reactivate=True)

    assert error.value.code == "TERMINATED"
    assert change.new_value == {"status": "active"}


def test_unchanged_status_records_nothing(partner_factory):
    partner = partner_factory()

    assert set_status(partner, PartnerStatus.ACTIVE, changed_by=OWNER) is None
    assert not NetworkChange.objects.exists()


def test_unknown_status(partner_factory):
    with pytest.raises(DomainError) as error:
        set_status(partner_factory(), "sleeping", changed_by=OWNER)

    assert (error.value.code, error.value.field) == ("INVALID", "status")


def test_terminated_partner_keeps_its_place(partner_factory):
    top = partner_factory()
    middle = partner_factory(top)
    low = partner_factory(middle)

    set_status(middle, PartnerStatus.TERMINATED, changed_by=OWNER, reason="left")

    low.refresh_from_db()
    middle.refresh_from_db()
    assert (low.sponsor, middle.sponsor) == (middle, top)
