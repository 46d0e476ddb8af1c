"""Partner voucher codes against a local server that answers like Saleor (saleor_stub)."""

from decimal import Decimal

import pytest

from saleor_mlm.network.actions import create_partner
from saleor_mlm.network.models import PartnerVoucher
from saleor_mlm.network.tasks import create_partner_voucher_code_task, sync_partner_voucher_task
from saleor_mlm.network.vouchers import (
    CHANNELS,
    VOUCHER_ADD_CODES,
    VOUCHER_CHANNEL_LISTING_UPDATE,
    VOUCHER_CREATE,
    UnknownChannel,
    VoucherCodeTaken,
    VoucherMutationError,
    configure_partner_voucher,
    issue_partner_voucher_code,
)

from .saleor_stub import global_id

DEFAULT = global_id("Channel", 1)
PLN = global_id("Channel", 2)


def test_first_code_creates_lists_and_fills_the_voucher(voucher_installation, voucher_saleor, partner_factory):
    partner = partner_factory(installation=voucher_installation, referral_code="ANNA2025")

    code = issue_partner_voucher_code(partner)

    assert code == "ANNA2025"
    partner.refresh_from_db()
    assert partner.voucher_code == "ANNA2025"
    voucher = PartnerVoucher.objects.get(installation=voucher_installation)
    requests = voucher_saleor.requests
    assert [r.query for r in requests] == [
        VOUCHER_CREATE,
        CHANNELS,
        VOUCHER_CHANNEL_LISTING_UPDATE,
        VOUCHER_CHANNEL_LISTING_UPDATE,
    ]
    assert all(r.headers["Authorization"] == "Bearer app-token-1" for r in requests)
    # Saleor creates no voucher without a code: the first partner's code creates it. Not
    # listed in any channel yet, it cannot be redeemed before the listing says 0 %.
    assert requests[0].variables == {
        "input": {"name": "Partner codes", "type": "ENTIRE_ORDER", "discountValueType": "PERCENTAGE", "addCodes": ["ANNA2025"]}
    }
    assert requests[2].variables == {
        "id": voucher.saleor_voucher_id,
        "input": {"addChannels": [{"channelId": PLN, "discountValue": "0.001"}, {"channelId": DEFAULT, "discountValue": "0.001"}]},
    }
    assert requests[3].variables == {
        "id": voucher.saleor_voucher_id,
        "input": {"addChannels": [{"channelId": PLN, "discountValue": "0"}, {"channelId": DEFAULT, "discountValue": "0"}]},
    }
    saleor_voucher = voucher_saleor.vouchers[voucher.saleor_voucher_id]
    assert saleor_voucher["codes"] == ["ANNA2025"]
    assert saleor_voucher["listings"] == {DEFAULT: Decimal(0), PLN: Decimal(0)}
    assert sorted(voucher.listed_channel_ids) == sorted([DEFAULT, PLN])
    assert voucher.listed_at is not None


def test_further_codes_are_added_to_the_same_voucher(voucher_installation, voucher_saleor, partner_factory):
    issue_partner_voucher_code(partner_factory(installation=voucher_installation, referral_code="ANNA"))
    voucher_saleor.requests.clear()

    issue_partner_voucher_code(partner_factory(installation=voucher_installation, referral_code="BEN"))

    assert [r.query for r in voucher_saleor.requests] == [VOUCHER_ADD_CODES]
    (voucher,) = voucher_saleor.vouchers.values()
    assert voucher["codes"] == ["ANNA", "BEN"]


def test_a_discount_is_listed_in_one_call(voucher_installation, voucher_saleor, partner_factory):
    configure_partner_voucher(voucher_installation, discount_percent=Decimal("10"), channel_slugs=["default-channel"])

    issue_partner_voucher_code(partner_factory(installation=voucher_installation))

    listing_calls = [r for r in voucher_saleor.requests if r.query == VOUCHER_CHANNEL_LISTING_UPDATE]
    assert [r.variables["input"] for r in listing_calls] == [{"addChannels": [{"channelId": DEFAULT, "discountValue": "10"}]}]


def test_changed_settings_are_synced(voucher_installation, voucher_saleor, partner_factory):
    issue_partner_voucher_code(partner_factory(installation=voucher_installation))
    voucher_saleor.requests.clear()

    configure_partner_voucher(voucher_installation, discount_percent=Decimal("5"), channel_slugs=["channel-pln"])
    sync_partner_voucher_task.delay(voucher_installation.pk)

    assert [r.query for r in voucher_saleor.requests] == [CHANNELS, VOUCHER_CHANNEL_LISTING_UPDATE]
    assert voucher_saleor.requests[1].variables["input"] == {
        "addChannels": [{"channelId": PLN, "discountValue": "5"}],
        "removeChannels": [DEFAULT],
    }
    (voucher,) = voucher_saleor.vouchers.values()
    assert voucher["listings"] == {PLN: Decimal(5)}


def test_unknown_channel_slug(voucher_installation, partner_factory):
    configure_partner_voucher(voucher_installation, channel_slugs=["nowhere"])
    partner = partner_factory(installation=voucher_installation)

    with pytest.raises(UnknownChannel):
        issue_partner_voucher_code(partner)

    partner.refresh_from_db()
    assert partner.voucher_code == ""


def test_code_already_on_our_voucher_counts_as_created(voucher_installation, voucher_saleor, partner_factory):
    """A retry after Saleor added the code but the answer was lost."""
    first = partner_factory(installation=voucher_installation, referral_code="ANNA")
    issue_partner_voucher_code(first)
    (voucher_id,) = voucher_saleor.vouchers
    voucher_saleor.vouchers[voucher_id]["codes"].append("BEN")
    ben = partner_factory(installation=voucher_installation, referral_code="BEN")

    assert issue_partner_voucher_code(ben) == "BEN"
    assert voucher_saleor.requests[-1].variables == {"code": "BEN"}


def test_code_taken_by_another_voucher(voucher_installation, voucher_saleor, partner_factory):
    voucher_saleor.add_voucher("Summer sale", ["SUMMER"])
    partner = partner_factory(installation=voucher_installation, referral_code="SUMMER")

    with pytest.raises(VoucherCodeTaken):
        issue_partner_voucher_code(partner)

    partner.refresh_from_db()
    assert partner.voucher_code == ""


def test_already_issued_code_makes_no_call(voucher_installation, voucher_saleor, partner_factory):
    partner = partner_factory(installation=voucher_installation, voucher_code="ANNA")

    assert issue_partner_voucher_code(partner) == "ANNA"
    assert voucher_saleor.requests == []


@pytest.mark.parametrize("switch", ["write_back_off", "demo"])
def test_without_write_back_the_code_is_only_stored(installation_factory, voucher_saleor, partner_factory, settings, switch):
    settings.SALEOR_WRITE_BACK = switch != "write_back_off"
    installation = installation_factory(saleor_api_url=voucher_saleor.url, is_demo=switch == "demo")
    partner = partner_factory(installation=installation, referral_code="ANNA")

    assert issue_partner_voucher_code(partner) == "ANNA"
    partner.refresh_from_db()
    assert partner.voucher_code == "ANNA"
    assert voucher_saleor.requests == []


def test_partner_creation_issues_the_code_after_commit(voucher_installation, voucher_saleor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partner = create_partner(voucher_installation, email="anna@example.com", created_by="owner@shop.example")
        assert voucher_saleor.requests == []  # nothing leaves before the commit

    partner.refresh_from_db()
    assert partner.voucher_code == partner.referral_code
    (voucher,) = voucher_saleor.vouchers.values()
    assert voucher["codes"] == [partner.referral_code]


def test_task_retries_when_saleor_is_unavailable(voucher_installation, voucher_saleor, partner_factory):
    partner = partner_factory(installation=voucher_installation, referral_code="ANNA")
    voucher_saleor.fail_next = [503]

    create_partner_voucher_code_task.delay(partner.pk)

    partner.refresh_from_db()
    assert partner.voucher_code == "ANNA"
    assert voucher_saleor.fields()[0] == "voucherCreate"  # the 503
    assert len(PartnerVoucher.objects.filter(installation=voucher_installation).exclude(saleor_voucher_id="")) == 1
    assert len(voucher_saleor.vouchers) == 1


def test_task_does_not_retry_a_refusal(voucher_installation, voucher_saleor, partner_factory):
    voucher_saleor.add_voucher("Summer sale", ["SUMMER"])
    partner = partner_factory(installation=voucher_installation, referral_code="SUMMER")

    result = create_partner_voucher_code_task.delay(partner.pk)

    assert isinstance(result.result, VoucherCodeTaken)
    assert voucher_saleor.fields().count("voucherCreate") == 1


def test_a_voucher_without_codes_is_never_created(voucher_installation, voucher_saleor):
    # The channel sync alone must not try to create the voucher: Saleor refuses one
    # without codes, and `code: ""` would make it invent a usable random code.
    sync_partner_voucher_task.delay(voucher_installation.pk)

    assert voucher_saleor.requests == []


def test_task_for_a_missing_partner(db):
    assert create_partner_voucher_code_task.delay(0).result is None


def test_mutation_errors_are_typed(voucher_installation, voucher_saleor, partner_factory):
    configure_partner_voucher(voucher_installation, discount_percent=Decimal("100"))
    voucher_saleor.channels = {"default-channel": DEFAULT}
    # The stub refuses a listing over 100 %; make it refuse this one by lying about the value.
    original = voucher_saleor.do_voucherChannelListingUpdate

    def refuse(variables):
        return {"voucher": None, "errors": [{"field": "discountValue", "code": "INVALID", "message": "Invalid percentage value.", "voucherCodes": None}]}

    voucher_saleor.do_voucherChannelListingUpdate = refuse
    with pytest.raises(VoucherMutationError) as error:
        issue_partner_voucher_code(partner_factory(installation=voucher_installation))
    voucher_saleor.do_voucherChannelListingUpdate = original

    assert str(error.value) == "voucherChannelListingUpdate refused: discountValue: INVALID Invalid percentage value."
    voucher = PartnerVoucher.objects.get(installation=voucher_installation)
    assert voucher.saleor_voucher_id  # the created voucher is kept for the next try
    assert voucher.listed_at is None
