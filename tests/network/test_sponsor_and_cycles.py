import datetime

import pytest
from django.utils import timezone

from saleor_mlm.core.errors import DomainError
from saleor_mlm.network import ChangeKind
from saleor_mlm.network.actions import assign_care, change_sponsor, unassign_care
from saleor_mlm.network.cycles import CARE, SPONSOR, PathStep, find_path_upwards, reaches_upwards
from saleor_mlm.network.models import CareAssignment, NetworkChange, Partner

OWNER = "owner@shop.example"


@pytest.fixture
def chain(partner_factory):
    """top <- mid <- low, by sponsor edges."""
    top = partner_factory(first_name="Tom", referral_code="TOP")
    mid = partner_factory(top, first_name="Mia", referral_code="MID")
    low = partner_factory(mid, first_name="Leo", referral_code="LOW")
    return top, mid, low


def test_change_sponsor_moves_the_partner_and_keeps_history(partner_factory, chain):
    top, mid, low = chain
    other = partner_factory(first_name="Ola", referral_code="OLA")

    result = change_sponsor(mid, other, changed_by=OWNER, reason="moved at the partner's request")

    mid.refresh_from_db()
    low.refresh_from_db()
    assert result.changed
    assert (result.old_sponsor, result.new_sponsor) == (top, other)
    assert mid.sponsor_id == other.pk
    assert low.sponsor_id == mid.pk  # the downline moves with it
    change = NetworkChange.objects.get(partner=mid, kind=ChangeKind.SPONSOR)
    assert change.changed_by == OWNER
    assert change.reason == "moved at the partner's request"
    assert change.old_value == {"sponsor": {"id": top.pk, "referral_code": "TOP", "name": "Tom"}}
    assert change.new_value == {"sponsor": {"id": other.pk, "referral_code": "OLA", "name": "Ola"}}


def test_make_root_and_back(chain):
    top, mid, _low = chain

    change_sponsor(mid, None, changed_by=OWNER, reason="company decision")
    change_sponsor(mid, top, changed_by=OWNER, reason="undo")

    history = list(NetworkChange.objects.filter(partner=mid).values_list("old_value", "new_value"))
    assert [(old["sponsor"] and old["sponsor"]["id"], new["sponsor"] and new["sponsor"]["id"]) for old, new in history] == [
        (top.pk, None),
        (None, top.pk),
    ]


def test_sponsor_change_needs_a_reason(chain):
    top, mid, _low = chain

    with pytest.raises(DomainError) as error:
        change_sponsor(mid, None, changed_by=OWNER, reason="  ")

    assert (error.value.code, error.value.field) == ("REASON_REQUIRED", "reason")


def test_same_sponsor_changes_nothing(chain):
    top, mid, _low = chain

    result = change_sponsor(mid, top, changed_by=OWNER, reason="again")

    assert not result.changed
    assert not NetworkChange.objects.exists()


def test_own_sponsor_is_a_cycle(chain):
    _top, mid, _low = chain

    with pytest.raises(DomainError) as error:
        change_sponsor(mid, mid, changed_by=OWNER, reason="oops")

    assert error.value.code == "CYCLE"
    assert error.value.message == "Mia (MID) cannot be its own sponsor."


def test_sponsor_below_is_a_cycle_with_a_clear_message(chain):
    top, _mid, low = chain

    with pytest.raises(DomainError) as error:
        change_sponsor(top, low, changed_by=OWNER, reason="oops")

    assert error.value.code == "CYCLE"
    assert error.value.field == "sponsor"
    assert error.value.message == (
        "Making Leo (LOW) the sponsor of Tom (TOP) would close a cycle: Leo (LOW) is below Tom (TOP) "
        "(Leo (LOW) -sponsor-> Mia (MID) -sponsor-> Tom (TOP))."
    )
    top.refresh_from_db()
    assert top.sponsor_id is None
    assert not NetworkChange.objects.exists()


def test_terminated_new_sponsor_is_refused(partner_factory, chain):
    _top, mid, _low = chain
    gone = partner_factory(status="terminated")

    with pytest.raises(DomainError) as error:
        change_sponsor(mid, gone, changed_by=OWNER, reason="x")

    assert error.value.code == "TERMINATED"


def test_care_edge_to_a_node_below_is_a_cycle(chain):
    top, _mid, low = chain

    with pytest.raises(DomainError) as error:
        assign_care(top, low, share="0.5", set_by=OWNER)

    assert error.value.code == "CYCLE"
    assert error.value.field == "care"
    assert error.value.message.startswith("Making Leo (LOW) the Betreuer of Tom (TOP) would close a cycle")
    assert not CareAssignment.objects.exists()


def test_cycle_through_a_mix_of_care_and_sponsor_edges(partner_factory):
    """a and b are separate roots. c -sponsor-> b -Betreuer-> a. Now a under c would close
    a -> c -> b -> a: a cycle that exists only through the care edge."""
    a = partner_factory(first_name="Ada", referral_code="ADA")
    b = partner_factory(first_name="Bo", referral_code="BO1")
    c = partner_factory(b, first_name="Cy", referral_code="CY1")
    assign_care(b, a, share="0.3", set_by=OWNER)

    with pytest.raises(DomainError) as sponsor_error:
        change_sponsor(a, c, changed_by=OWNER, reason="x")
    with pytest.raises(DomainError) as care_error:
        assign_care(a, c, share="0.2", set_by=OWNER)

    assert sponsor_error.value.message == (
        "Making Cy (CY1) the sponsor of Ada (ADA) would close a cycle: Cy (CY1) is below Ada (ADA) "
        "(Cy (CY1) -sponsor-> Bo (BO1) -Betreuer-> Ada (ADA))."
    )
    assert care_error.value.code == "CYCLE"
    assert sponsor_error.value.error_params == {"path": [c.pk, b.pk, a.pk]}


def test_ended_care_edges_do_not_count(partner_factory):
    a = partner_factory()
    b = partner_factory()
    c = partner_factory(b)
    assign_care(b, a, share="0.3", set_by=OWNER)
    unassign_care(b, set_by=OWNER, reason="holiday over")

    result = change_sponsor(a, c, changed_by=OWNER, reason="now legal")

    assert result.changed


def test_care_ending_in_the_future_still_counts(partner_factory):
    a = partner_factory()
    b = partner_factory()
    c = partner_factory(b)
    assign_care(b, a, share="0.3", set_by=OWNER)
    unassign_care(b, valid_to=timezone.now() + datetime.timedelta(days=30), set_by=OWNER)

    with pytest.raises(DomainError) as error:
        change_sponsor(a, c, changed_by=OWNER, reason="not yet")

    assert error.value.code == "CYCLE"


def test_moving_under_the_betreuer_ends_the_care(partner_factory):
    sponsor = partner_factory()
    betreuer = partner_factory()
    node = partner_factory(sponsor)
    care = assign_care(node, betreuer, share="0.3", set_by=OWNER)

    result = change_sponsor(node, betreuer, changed_by=OWNER, reason="Betreuer takes over")

    care.refresh_from_db()
    assert result.ended_care == care
    assert care.valid_to is not None
    kinds = list(NetworkChange.objects.filter(partner=node).values_list("kind", flat=True))
    assert kinds == [ChangeKind.CARE, ChangeKind.CARE, ChangeKind.SPONSOR]


def test_reaches_upwards_and_path_on_a_deep_chain(partner_factory, django_assert_max_num_queries):
    """A 1,500-deep genealogy: deciding takes one query, naming the path one more."""
    root = partner_factory(first_name="Root", referral_code="ROOT")
    installation = root.installation
    partners = Partner.objects.bulk_create(
        Partner(installation=installation, email=f"d{i}@example.com", referral_code=f"D{i:05d}", enrolled_at=root.enrolled_at)
        for i in range(1500)
    )
    parent = root
    for partner in partners:
        partner.sponsor = parent
        parent = partner
    Partner.objects.bulk_update(partners, ["sponsor"], batch_size=500)
    bottom = partners[-1]
    now = timezone.now()

    with django_assert_max_num_queries(1):
        assert reaches_upwards(bottom.pk, root.pk, now)
    with django_assert_max_num_queries(1):
        assert not reaches_upwards(root.pk, bottom.pk, now)
    with django_assert_max_num_queries(1):
        path = find_path_upwards(bottom.pk, root.pk, now)
    assert len(path) == 1500
    assert path[0] == PathStep(bottom.pk, partners[-2].pk, SPONSOR)

    with pytest.raises(DomainError) as error:
        change_sponsor(root, bottom, changed_by=OWNER, reason="x")
    assert "... 1495 more ..." in error.value.message
    assert error.value.message.endswith("-sponsor-> Root (ROOT)).")


def test_path_prefers_the_shortest_route(partner_factory):
    a = partner_factory()
    b = partner_factory(a)
    c = partner_factory(b)
    assign_care(c, a, share="0.1", set_by=OWNER)  # c reaches a directly by care, or via b

    assert find_path_upwards(c.pk, a.pk, timezone.now()) == [PathStep(c.pk, a.pk, CARE)]
