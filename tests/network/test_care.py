import datetime
from decimal import Decimal

import pytest

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import CareShareSource, ChangeKind, PartnerStatus
from saleor_mlm.network.actions import (
    assign_care,
    effective_care_share,
    end_split_agreement,
    set_split_agreement,
    unassign_care,
)
from saleor_mlm.network.models import CareAssignment, NetworkChange, SplitAgreement
from saleor_mlm.network.shares import clean_share

OWNER = "owner@shop.example"
UTC = datetime.UTC


def day(month, d=1, year=2025):
    return datetime.datetime(year, month, d, tzinfo=UTC)


@pytest.fixture
def trio(partner_factory):
    """sponsor <- node (a partner); betreuer elsewhere."""
    sponsor = partner_factory(first_name="Sam", referral_code="SAM")
    betreuer = partner_factory(first_name="Bea", referral_code="BEA")
    node = partner_factory(sponsor, first_name="Nia", referral_code="NIA")
    return sponsor, betreuer, node


def test_assign_care_with_a_share(trio):
    _sponsor, betreuer, node = trio

    assignment = assign_care(node, betreuer, share="0.25", valid_from=day(3), set_by=OWNER, reason="lives near Bea")

    assert (assignment.care_partner, assignment.share, assignment.valid_from, assignment.valid_to) == (
        betreuer,
        Decimal("0.2500"),
        day(3),
        None,
    )
    change = NetworkChange.objects.get(partner=node)
    assert (change.kind, change.changed_by, change.reason) == (ChangeKind.CARE, OWNER, "lives near Bea")
    assert change.old_value == {"care": None}
    assert change.new_value["care"]["care_partner"]["referral_code"] == "BEA"
    assert change.new_value["care"]["share"] == "0.2500"
    assert effective_care_share(node, day(4)).share == Decimal("0.25")
    assert effective_care_share(node, day(4)).source == CareShareSource.ASSIGNMENT
    assert effective_care_share(node, day(2)) is None  # before it started


@pytest.mark.parametrize("share", ["1.5", "-0.1", "0.12345", "abc", "NaN", "Infinity"])
def test_invalid_shares(trio, share):
    _sponsor, betreuer, node = trio

    with pytest.raises(DomainError) as error:
        assign_care(node, betreuer, share=share, set_by=OWNER)

    assert (error.value.code, error.value.field) == ("INVALID_SHARE", "share")
    assert not CareAssignment.objects.exists()


@pytest.mark.parametrize(("given", "stored"), [("0", "0.0000"), ("1", "1.0000"), ("0.1234", "0.1234"), (Decimal("0.5"), "0.5000")])
def test_valid_shares(given, stored):
    assert clean_share(given) == Decimal(stored)


def test_self_care_is_refused(trio):
    _sponsor, betreuer, _node = trio

    with pytest.raises(DomainError) as error:
        assign_care(betreuer, betreuer, share="0.1", set_by=OWNER)

    assert error.value.code == "SELF_CARE"
    assert error.value.message == "Bea (BEA) cannot be its own Betreuer."


def test_the_sponsor_cannot_be_the_betreuer(trio, customer_factory):
    sponsor, _betreuer, node = trio
    customer = customer_factory(sponsor=sponsor)

    for target in (node, customer):
        with pytest.raises(DomainError) as error:
            assign_care(target, sponsor, share="0.1", set_by=OWNER)
        assert (error.value.code, error.value.field) == ("CARE_IS_SPONSOR", "care_partner")


def test_terminated_betreuer_is_refused(trio, partner_factory):
    _sponsor, _betreuer, node = trio
    gone = partner_factory(status=PartnerStatus.TERMINATED)

    with pytest.raises(DomainError) as error:
        assign_care(node, gone, share="0.1", set_by=OWNER)

    assert error.value.code == "TERMINATED"


def test_without_share_the_split_agreement_is_needed(trio, split_agreement_factory):
    sponsor, betreuer, node = trio

    with pytest.raises(DomainError) as error:
        assign_care(node, betreuer, valid_from=day(3), set_by=OWNER)
    split_agreement_factory(sponsor, "0.3", valid_from=day(1))
    assignment = assign_care(node, betreuer, valid_from=day(3), set_by=OWNER)

    assert error.value.code == "NO_SPLIT_AGREEMENT"
    assert error.value.message == (
        "No share given and the sponsor Sam (SAM) has no split agreement in force on 2025-03-01: "
        "give a share or set a split agreement first."
    )
    assert assignment.share is None
    effective = effective_care_share(node, day(4))
    assert (effective.share, effective.source, effective.care_partner_id) == (
        Decimal("0.3000"),
        CareShareSource.SPLIT_AGREEMENT,
        betreuer.pk,
    )


def test_house_customer_without_share_has_no_recruiting_side(partner_factory, customer_factory):
    betreuer = partner_factory()
    house = customer_factory()

    with pytest.raises(DomainError) as error:
        assign_care(house, betreuer, set_by=OWNER)
    assignment = assign_care(house, betreuer, share="1", set_by=OWNER)

    assert error.value.code == "NO_SPLIT_AGREEMENT"
    assert assignment.share == Decimal(1)


def test_effective_share_follows_the_agreements_in_force_by_date(trio, split_agreement_factory):
    sponsor, betreuer, node = trio
    split_agreement_factory(sponsor, "0.3", valid_from=day(1), valid_to=day(3))
    split_agreement_factory(sponsor, "0.5", valid_from=day(3), valid_to=day(6))
    assign_care(node, betreuer, valid_from=day(1), set_by=OWNER)

    assert effective_care_share(node, day(2)).share == Decimal("0.3")
    assert effective_care_share(node, day(3)).share == Decimal("0.5")  # valid_from is inclusive
    assert effective_care_share(node, day(5, 31)).share == Decimal("0.5")
    after = effective_care_share(node, day(6))  # valid_to is exclusive: no agreement left
    assert (after.share, after.source) == (Decimal(0), CareShareSource.NONE)
    assert effective_care_share(node, day(1, year=2024)) is None


def test_assignment_share_overrides_the_agreement(trio, split_agreement_factory):
    sponsor, betreuer, node = trio
    split_agreement_factory(sponsor, "0.3", valid_from=day(1))

    assign_care(node, betreuer, share="0.6", valid_from=day(2), set_by=OWNER)

    assert effective_care_share(node, day(3)).share == Decimal("0.6")


def test_reassigning_ends_the_current_assignment(trio, partner_factory):
    _sponsor, betreuer, node = trio
    other = partner_factory(first_name="Ole", referral_code="OLE")
    first = assign_care(node, betreuer, share="0.2", valid_from=day(1), set_by=OWNER)

    second = assign_care(node, other, share="0.4", valid_from=day(4), set_by=OWNER, reason="moved town")

    first.refresh_from_db()
    assert first.valid_to == day(4)
    assert second.valid_to is None
    assert effective_care_share(node, day(3)).care_partner_id == betreuer.pk
    assert effective_care_share(node, day(4)).care_partner_id == other.pk
    change = NetworkChange.objects.filter(partner=node).last()
    assert change.old_value["care"]["care_partner"]["referral_code"] == "BEA"
    assert change.old_value["care"]["valid_to"] is None
    assert change.new_value["care"]["care_partner"]["referral_code"] == "OLE"


def test_changing_only_the_share_is_a_new_assignment(trio):
    _sponsor, betreuer, node = trio
    assign_care(node, betreuer, share="0.2", valid_from=day(1), set_by=OWNER)

    assign_care(node, betreuer, share="0.3", valid_from=day(2), set_by=OWNER)

    assert list(CareAssignment.objects.filter(partner=node).order_by("id").values_list("share", "valid_to")) == [
        (Decimal("0.2000"), day(2)),
        (Decimal("0.3000"), None),
    ]


def test_the_same_assignment_again_changes_nothing(trio):
    _sponsor, betreuer, node = trio
    first = assign_care(node, betreuer, share="0.2", valid_from=day(1), set_by=OWNER)

    again = assign_care(node, betreuer, share="0.20", valid_from=day(2), set_by=OWNER)

    assert again == first
    assert CareAssignment.objects.count() == 1
    assert NetworkChange.objects.count() == 1


def test_a_new_assignment_cannot_start_before_the_current_one(trio, partner_factory):
    _sponsor, betreuer, node = trio
    assign_care(node, betreuer, share="0.2", valid_from=day(5), set_by=OWNER)

    with pytest.raises(DomainError) as error:
        assign_care(node, partner_factory(), share="0.2", valid_from=day(4), set_by=OWNER)

    assert error.value.code == "OVERLAPPING_ASSIGNMENT"


def test_unassign(trio):
    _sponsor, betreuer, node = trio
    assignment = assign_care(node, betreuer, share="0.2", valid_from=day(1), set_by=OWNER)

    ended = unassign_care(node, valid_to=day(3), set_by=OWNER, reason="Bea retired")
    nothing = unassign_care(node, set_by=OWNER)

    assignment.refresh_from_db()
    assert ended == assignment
    assert assignment.valid_to == day(3)
    assert nothing is None
    assert effective_care_share(node, day(2)) is not None
    assert effective_care_share(node, day(3)) is None
    change = NetworkChange.objects.filter(partner=node).last()
    assert change.new_value == {"care": None, "ended_at": day(3).isoformat()}
    assert change.reason == "Bea retired"


def test_after_unassigning_a_new_one_starts_no_earlier_than_the_end(trio):
    _sponsor, betreuer, node = trio
    assign_care(node, betreuer, share="0.2", valid_from=day(1), set_by=OWNER)
    unassign_care(node, valid_to=day(3), set_by=OWNER)

    with pytest.raises(DomainError):
        assign_care(node, betreuer, share="0.2", valid_from=day(2), set_by=OWNER)
    again = assign_care(node, betreuer, share="0.2", valid_from=day(3), set_by=OWNER)

    assert again.valid_from == day(3)


def test_customer_care(partner_factory, customer_factory):
    sponsor = partner_factory()
    betreuer = partner_factory()
    customer = customer_factory(sponsor=sponsor)

    assignment = assign_care(customer, betreuer, share="0.5", set_by=OWNER)

    assert assignment.customer == customer
    assert assignment.partner is None
    assert NetworkChange.objects.get(customer=customer).kind == ChangeKind.CARE
    assert effective_care_share(customer).share == Decimal("0.5")


# -- split agreements -------------------------------------------------------------------


def test_a_new_agreement_ends_the_open_one(partner_factory):
    partner = partner_factory()
    first = set_split_agreement(partner, "0.3", valid_from=day(1), set_by=OWNER, note="first deal")

    second = set_split_agreement(partner, "0.4", valid_from=day(3), set_by=OWNER, note="renegotiated")

    first.refresh_from_db()
    assert first.valid_to == day(3)
    assert second.valid_to is None
    change = NetworkChange.objects.filter(partner=partner).last()
    assert change.kind == ChangeKind.SPLIT_AGREEMENT
    assert change.reason == "renegotiated"
    assert change.old_value == {
        "ended": [{"agreement_id": first.pk, "share": "0.3000", "valid_from": day(1).isoformat(), "valid_to": None}]
    }
    assert change.new_value["agreement"]["share"] == "0.4000"


def test_a_window_inside_an_agreement_lets_the_old_terms_resume(partner_factory):
    partner = partner_factory()
    set_split_agreement(partner, "0.3", valid_from=day(1), set_by=OWNER)

    set_split_agreement(partner, "0.5", valid_from=day(6), valid_to=day(9), set_by=OWNER, note="summer campaign")

    rows = list(SplitAgreement.objects.filter(partner=partner).order_by("valid_from").values_list("share", "valid_from", "valid_to"))
    assert rows == [
        (Decimal("0.3000"), day(1), day(6)),
        (Decimal("0.5000"), day(6), day(9)),
        (Decimal("0.3000"), day(9), None),
    ]


def test_an_agreement_starting_inside_the_new_range_is_refused(partner_factory):
    partner = partner_factory()
    set_split_agreement(partner, "0.3", valid_from=day(5), set_by=OWNER)

    with pytest.raises(DomainError) as error:
        set_split_agreement(partner, "0.4", valid_from=day(4), set_by=OWNER)
    before = set_split_agreement(partner, "0.4", valid_from=day(2), valid_to=day(5), set_by=OWNER)

    assert error.value.code == "OVERLAPPING_AGREEMENT"
    assert before.valid_to == day(5)


def test_agreement_range_and_share_are_checked(partner_factory):
    partner = partner_factory()

    with pytest.raises(DomainError) as range_error:
        set_split_agreement(partner, "0.3", valid_from=day(5), valid_to=day(5), set_by=OWNER)
    with pytest.raises(DomainError) as share_error:
        set_split_agreement(partner, "2", set_by=OWNER)

    assert (range_error.value.code, range_error.value.field) == ("INVALID", "valid_to")
    assert share_error.value.code == "INVALID_SHARE"


def test_end_split_agreement(partner_factory):
    partner = partner_factory()
    agreement = set_split_agreement(partner, "0.3", valid_from=day(1), set_by=OWNER)

    ended = end_split_agreement(partner, at=day(4), set_by=OWNER, note="contract ended")
    nothing = end_split_agreement(partner, at=day(5), set_by=OWNER)

    agreement.refresh_from_db()
    assert ended == agreement
    assert agreement.valid_to == day(4)
    assert nothing is None
    change = NetworkChange.objects.filter(partner=partner).last()
    assert change.new_value == {"agreement": None}
    assert change.old_value["ended"][0]["valid_to"] is None
