"""The merchant's settings in the API (issue 20 item 1: every setting of the dashboard's
settings page is in the API too): PV/BV ratio and metadata keys, exchange rates with a
CSV upload, the partner voucher's discount and channels, the minimum payout. Each is read,
changed, refused at its field when malformed, and denied (writing nothing) without the
permission."""

from decimal import Decimal

import pytest

from saleor_mlm.graphql.core.permissions import MlmPermission
from saleor_mlm.ledger.models import ExchangeRate, VolumeSettings
from saleor_mlm.network.models import PartnerVoucher
from saleor_mlm.payouts.models import PayoutSettings

pytestmark = pytest.mark.django_db

READ = """{
  volumeSettings { planCurrency pvPerBv pvMetadataKey bvMetadataKey referralMetadataKey }
  partnerVoucher { discountPercent channelSlugs saleorVoucherId synced }
  payoutSettings { minimumPayout }
  exchangeRates(first: 5) { totalCount edges { node { currency planCurrency rate validOn } } }
}"""
VOLUME = """mutation($input: VolumeSettingsInput!) { volumeSettingsUpdate(input: $input) {
  errors { field code message } settings { pvPerBv pvMetadataKey bvMetadataKey referralMetadataKey } } }"""
RATES = """mutation($csv: String!) { exchangeRatesImport(csv: $csv, filename: "kurse.csv") {
  errors { field code message } rows created updated unchanged } }"""
VOUCHER = """mutation($input: PartnerVoucherInput!) { partnerVoucherUpdate(input: $input) {
  errors { field code } partnerVoucher { discountPercent channelSlugs synced } } }"""
MINIMUM = """mutation($amount: Decimal!) { minimumPayoutSet(amount: $amount) {
  errors { field code message } payoutSettings { minimumPayout } } }"""
PAYOUT_SETTINGS = """mutation($input: PayoutSettingsInput!) { payoutSettingsUpdate(input: $input) {
  errors { field code message } settings { minimumPayout debtorName } } }"""


@pytest.fixture
def merchant(dashboard):
    return dashboard(MlmPermission.MANAGE_ORDERS, MlmPermission.MANAGE_USERS)


def test_the_defaults_are_read_before_anything_was_set(gql, merchant):
    data = gql(READ, as_=merchant).data

    assert data == {
        "volumeSettings": {"planCurrency": "EUR", "pvPerBv": "1", "pvMetadataKey": "mlm.pv", "bvMetadataKey": "mlm.bv", "referralMetadataKey": "mlm_referral_code"},
        "partnerVoucher": {"discountPercent": "0.000", "channelSlugs": [], "saleorVoucherId": None, "synced": False},
        "payoutSettings": {"minimumPayout": "25"},
        "exchangeRates": {"totalCount": 0, "edges": []},
    }
    assert not PartnerVoucher.objects.exists()  # reading creates no voucher


def test_volume_settings_are_changed_and_refused_at_their_field(gql, merchant, gql_installation):
    changed = gql(VOLUME, {"input": {"pvPerBv": "0.5", "pvMetadataKey": "punkte"}}, as_=merchant).data["volumeSettingsUpdate"]
    zero = gql(VOLUME, {"input": {"pvPerBv": "0"}}, as_=merchant).data["volumeSettingsUpdate"]
    places = gql(VOLUME, {"input": {"pvPerBv": "0.1234567"}}, as_=merchant).data["volumeSettingsUpdate"]
    key = gql(VOLUME, {"input": {"bvMetadataKey": "bv key"}}, as_=merchant).data["volumeSettingsUpdate"]

    assert changed == {
        "errors": [],
        "settings": {"pvPerBv": "0.5", "pvMetadataKey": "punkte", "bvMetadataKey": "mlm.bv", "referralMetadataKey": "mlm_referral_code"},
    }
    assert zero["errors"] == [{"field": "pvPerBv", "code": "INVALID", "message": "PV per BV is a number greater than 0, e.g. 1 or 0.5."}]
    assert places["errors"] == [{"field": "pvPerBv", "code": "INVALID", "message": "PV per BV has at most 6 decimal places."}]
    assert key["errors"] == [{"field": "bvMetadataKey", "code": "INVALID", "message": "A metadata key has 1 to 64 letters, digits, '.', '_' or '-'."}]
    stored = VolumeSettings.objects.get(installation=gql_installation)
    assert (stored.pv_per_bv, stored.pv_metadata_key, stored.bv_metadata_key) == (Decimal("0.5"), "punkte", "mlm.bv")


def test_exchange_rates_are_imported_from_a_csv_and_listed_newest_first(gql, merchant, gql_installation):
    csv = "date,currency,rate\n2026-11-02,USD,0.9215\n2026-11-03,USD,0.9230\n2026-11-03,CHF,1.0512\n"

    first = gql(RATES, {"csv": csv}, as_=merchant).data["exchangeRatesImport"]
    again = gql(RATES, {"csv": csv.replace("0.9230", "0.9231")}, as_=merchant).data["exchangeRatesImport"]
    listed = gql(READ, as_=merchant).data["exchangeRates"]

    assert first == {"errors": [], "rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert again == {"errors": [], "rows": 3, "created": 0, "updated": 1, "unchanged": 2}
    assert listed == {
        "totalCount": 3,
        "edges": [
            {"node": {"currency": "CHF", "planCurrency": "EUR", "rate": "1.0512000000", "validOn": "2026-11-03"}},
            {"node": {"currency": "USD", "planCurrency": "EUR", "rate": "0.9231000000", "validOn": "2026-11-03"}},
            {"node": {"currency": "USD", "planCurrency": "EUR", "rate": "0.9215000000", "validOn": "2026-11-02"}},
        ],
    }


def test_a_bad_rates_file_is_refused_whole_with_every_problem(gql, merchant):
    csv = "date,currency,rate\n2026-11-02,USD,0.92\n2026-13-01,USD,0.93\n2026-11-04,DOLLAR,-1\n"

    result = gql(RATES, {"csv": csv}, as_=merchant).data["exchangeRatesImport"]
    empty = gql(RATES, {"csv": "date,currency,rate\n"}, as_=merchant).data["exchangeRatesImport"]

    assert result["errors"] == [
        {"field": "csv", "code": "INVALID", "message": "kurse.csv:3: column date: '2026-13-01' is not a date (YYYY-MM-DD)"},
        {"field": "csv", "code": "INVALID", "message": "kurse.csv:4: column currency: 'DOLLAR' is not a three-letter currency code"},
        {"field": "csv", "code": "INVALID", "message": "kurse.csv:4: column rate: '-1' must be a number > 0"},
    ]
    assert result["rows"] is None
    assert empty["errors"] == [{"field": "csv", "code": "INVALID", "message": "The file has no rates."}]
    assert not ExchangeRate.objects.exists()


def test_the_partner_voucher_discount_and_channels(gql, merchant, gql_installation):
    changed = gql(VOUCHER, {"input": {"discountPercent": "10", "channelSlugs": [" default-channel ", ""]}}, as_=merchant).data["partnerVoucherUpdate"]
    bad = gql(VOUCHER, {"input": {"discountPercent": "100.5"}}, as_=merchant).data["partnerVoucherUpdate"]
    fine = gql(VOUCHER, {"input": {"discountPercent": "12.3456"}}, as_=merchant).data["partnerVoucherUpdate"]

    # The installation has no write-back to Saleor: the sync task leaves it unsynced.
    assert changed == {"errors": [], "partnerVoucher": {"discountPercent": "10.000", "channelSlugs": ["default-channel"], "synced": False}}
    assert bad["errors"] == [{"field": "discountPercent", "code": "INVALID"}]
    assert fine["errors"] == [{"field": "discountPercent", "code": "INVALID"}]
    voucher = PartnerVoucher.objects.get(installation=gql_installation)
    assert (voucher.discount_percent, voucher.channel_slugs) == (Decimal("10.000"), ["default-channel"])


def test_the_minimum_payout(gql, merchant, gql_installation):
    changed = gql(MINIMUM, {"amount": "50"}, as_=merchant).data["minimumPayoutSet"]
    negative = gql(MINIMUM, {"amount": "-1"}, as_=merchant).data["minimumPayoutSet"]
    places = gql(MINIMUM, {"amount": "1.23456"}, as_=merchant).data["minimumPayoutSet"]

    assert changed == {"errors": [], "payoutSettings": {"minimumPayout": "50"}}
    assert negative["errors"] == [{"field": "amount", "code": "INVALID", "message": "The minimum payout cannot be negative."}]
    assert places["errors"][0]["field"] == "amount"
    assert PayoutSettings.objects.get(installation=gql_installation).minimum_payout == Decimal("50")


def test_the_minimum_payout_with_the_other_payout_settings(gql, merchant, gql_installation):
    changed = gql(PAYOUT_SETTINGS, {"input": {"minimumPayout": "40.5", "debtorName": "Shop GmbH", "debtorIban": "DE75512108001245126199"}}, as_=merchant)
    negative = gql(PAYOUT_SETTINGS, {"input": {"minimumPayout": "-1", "debtorName": "Other GmbH"}}, as_=merchant)
    places = gql(PAYOUT_SETTINGS, {"input": {"minimumPayout": "1.23456"}}, as_=merchant)
    left_out = gql(PAYOUT_SETTINGS, {"input": {"debtorName": "Shop AG"}}, as_=merchant)

    assert changed.data["payoutSettingsUpdate"] == {"errors": [], "settings": {"minimumPayout": "40.5000", "debtorName": "Shop GmbH"}}
    assert negative.data["payoutSettingsUpdate"]["errors"] == [{"field": "minimumPayout", "code": "INVALID", "message": "The minimum payout cannot be negative."}]
    assert places.data["payoutSettingsUpdate"]["errors"][0]["field"] == "minimumPayout"
    assert left_out.data["payoutSettingsUpdate"]["settings"] == {"minimumPayout": "40.5000", "debtorName": "Shop AG"}
    # The refused request changed nothing, the debtor's name neither (one transaction).
    settings = PayoutSettings.objects.get(installation=gql_installation)
    assert (settings.minimum_payout, settings.debtor_name) == (Decimal("40.5"), "Shop AG")


SETTINGS_MUTATIONS = [
    (MINIMUM, {"amount": "5"}, MlmPermission.MANAGE_ORDERS),
    (PAYOUT_SETTINGS, {"input": {"minimumPayout": "5"}}, MlmPermission.MANAGE_ORDERS),
    (VOLUME, {"input": {"pvPerBv": "2"}}, MlmPermission.MANAGE_ORDERS),
    (RATES, {"csv": "date,currency,rate\n2026-11-02,USD,0.92\n"}, MlmPermission.MANAGE_ORDERS),
    (VOUCHER, {"input": {"discountPercent": "5"}}, MlmPermission.MANAGE_USERS),
]


@pytest.mark.parametrize("who, allowed", [("anonymous", False), ("storefront", False), ("dashboard_without", False), ("dashboard_with", True)])
@pytest.mark.parametrize("mutation, variables, permission", SETTINGS_MUTATIONS)
def test_settings_permissions(gql, four_requestors, gql_installation, who, allowed, mutation, variables, permission):
    before = (
        PayoutSettings.objects.filter(minimum_payout=Decimal("5")).count(),
        VolumeSettings.objects.filter(pv_per_bv=2).count(),
        ExchangeRate.objects.count(),
        PartnerVoucher.objects.count(),
    )

    result = gql(mutation, variables, as_=four_requestors(permission)[who])

    after = (
        PayoutSettings.objects.filter(minimum_payout=Decimal("5")).count(),
        VolumeSettings.objects.filter(pv_per_bv=2).count(),
        ExchangeRate.objects.count(),
        PartnerVoucher.objects.count(),
    )
    assert (after != before) is allowed
    assert allowed or result.error_codes in (["PERMISSION_DENIED"], ["UNKNOWN_INSTALLATION"])


def test_reading_the_settings_needs_the_permission(gql, four_requestors):
    denied = gql("{ volumeSettings { pvPerBv } }", as_=four_requestors(MlmPermission.MANAGE_ORDERS)["dashboard_without"])

    assert denied.error_codes == ["PERMISSION_DENIED"]
