"""A partner's order for a customer (issue 18 item 4): the app makes the checkout in the shop's
Saleor (the stand-in of tests/fixtures/saleor.py, a real local HTTP port) as a storefront does,
with the partner's code; the customer pays it, and the paid-order path credits the order to the
partner as its customer's order."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Sum

from saleor_mlm.checkouts.actions import set_checkout_settings
from saleor_mlm.checkouts.error_codes import CheckoutErrorCode
from saleor_mlm.core.errors import DomainError
from saleor_mlm.graphql.core.permissions import MlmPermission
from saleor_mlm.ledger import AttributionRule
from saleor_mlm.ledger.models import LedgerEntry, OrderAttribution
from saleor_mlm.network import PartnerStatus
from saleor_mlm.network.models import Customer
from tests.fixtures.graphql import TokenFactory
from tests.fixtures.orders import webhook_body
from tests.fixtures.saleor import StandInShop

pytestmark = pytest.mark.django_db

STOREFRONT = "https://shop.example.com/"
ANNA_USER = "VXNlcjo1MDE="

CREATE = """
mutation OfficeCustomerCheckout($input: CustomerCheckoutInput!) {
  customerCheckoutCreate(input: $input) {
    errors { field code message }
    checkout { id email paymentUrl totalGross currency voucherCode referralCode }
  }
}
"""
PRODUCTS = "query($search: String) { officeProducts(search: $search) { id name variants { id name sku price currency } } }"
COUNTRIES = "{ officeCountries { code name } }"

CUSTOMER = {
    "email": "kim.berg@example.com",
    "firstName": "Kim",
    "lastName": "Berg",
    "streetAddress1": "Hauptstraße 1",
    "postalCode": "10115",
    "city": "Berlin",
    "country": "DE",
}


@pytest.fixture
def shop(fake_saleor, settings):
    settings.STOREFRONT_URL = STOREFRONT
    settings.SALEOR_CLIENT_RETRIES = 0
    return StandInShop(fake_saleor, vouchers={"ANNA"})


@pytest.fixture
def anna(saleor_installation, ledger_partner):
    return ledger_partner("ANNA", installation=saleor_installation, email="anna@example.com", saleor_user_id=ANNA_USER)


@pytest.fixture
def as_anna(fake_saleor, saleor_installation, anna):
    """Anna's Saleor access token, signed by the stand-in's key as Saleor signs it."""
    tokens = TokenFactory(signer=fake_saleor.signer, installation=saleor_installation)
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.access(user_id=ANNA_USER, email='anna@example.com')}"}


def test_a_checkout_made_in_the_office_is_paid_and_credited_to_the_partner(gql, shop, as_anna, anna, fake_saleor, post_webhook):
    found = gql(PRODUCTS, {"search": "protein"}, headers=as_anna)
    assert not found.errors, found.errors
    [product] = found.data["officeProducts"]
    assert [(variant["name"], variant["price"]) for variant in product["variants"]] == [("Vanille", "39.90"), ("Schoko", "39.90")]
    schoko = product["variants"][1]["id"]
    aloe = gql(PRODUCTS, {"search": "aloe"}, headers=as_anna).data["officeProducts"][0]["variants"][0]["id"]

    made = gql(CREATE, {"input": {**CUSTOMER, "lines": [{"variantId": schoko, "quantity": 2}, {"variantId": aloe, "quantity": 1}]}}, headers=as_anna)

    assert not made.errors and not made.data["customerCheckoutCreate"]["errors"], made.body
    answer = made.data["customerCheckoutCreate"]["checkout"]
    checkout = shop.checkouts[answer["id"]]
    # Made as a storefront makes it, for nobody's shop account (not the partner's).
    assert checkout.authorization == ""
    assert (checkout.email, checkout.channel, checkout.language_code) == ("kim.berg@example.com", "default-channel", "EN")
    assert [(variant.sku, quantity) for variant, quantity in checkout.lines] == [("PROTEIN-SCHOKO", 2), ("ALOE-GEL-250", 1)]
    assert checkout.shipping_address == checkout.billing_address == {
        key: value for key, value in CUSTOMER.items() if key != "email"
    }
    # The partner's codes: its referral code in the metadata the ledger reads, its voucher applied.
    assert (checkout.metadata, checkout.voucher_code) == ({"mlm_referral_code": "ANNA"}, "ANNA")
    assert (answer["voucherCode"], answer["referralCode"], answer["totalGross"], answer["currency"]) == ("ANNA", "ANNA", "104.70", "EUR")
    link = urlsplit(answer["paymentUrl"])
    assert (f"{link.scheme}://{link.netloc}{link.path}", parse_qs(link.query)) == (f"{STOREFRONT}checkout", {"checkout": [answer["id"]]})

    # The customer pays; Saleor sends ORDER_FULLY_PAID with what the checkout carried.
    order = shop.paid_order(answer["id"], created=datetime.datetime.now(tz=datetime.UTC))
    body = webhook_body("order_fully_paid", order)
    body["recipient"]["id"] = fake_saleor.app_id
    raw = json.dumps(body).encode()
    assert post_webhook("order_fully_paid", raw, fake_saleor.webhook_headers("order_fully_paid", raw)).status_code == 202

    attribution = OrderAttribution.objects.get(order__saleor_order_id=order["id"])
    customer = Customer.objects.get(email="kim.berg@example.com")
    assert (attribution.rule, attribution.customer, customer.sponsor) == (AttributionRule.VOUCHER, customer, anna)
    credited = LedgerEntry.objects.filter(order__saleor_order_id=order["id"]).aggregate(pv=Sum("pv"), bv=Sum("bv"))
    assert credited["pv"] == Decimal("90")  # 2 x 35 PV + 20 PV, on the customer: its sponsor Anna's volume
    assert not LedgerEntry.objects.filter(order__saleor_order_id=order["id"]).exclude(customer=customer).exists()

    # Anna sees it on her orders page as her customer's order.
    mine = gql("{ myCreditedOrders(first: 5) { edges { node { orderId role rule } } } }", headers=as_anna)
    assert [edge["node"] for edge in mine.data["myCreditedOrders"]["edges"]] == [{"orderId": order["id"], "role": "SPONSOR", "rule": "VOUCHER"}]


def test_without_the_voucher_the_referral_code_in_the_metadata_attributes(gql, shop, as_anna, anna, fake_saleor, post_webhook):
    shop.vouchers = set()  # the partner voucher is not listed in the channel
    made = gql(CREATE, {"input": {**CUSTOMER, "lines": [{"variantId": "UHJvZHVjdFZhcmlhbnQ6MQ==", "quantity": 1}]}}, headers=as_anna)
    answer = made.data["customerCheckoutCreate"]["checkout"]
    assert (answer["voucherCode"], answer["referralCode"]) == (None, "ANNA")

    order = shop.paid_order(answer["id"], created=datetime.datetime.now(tz=datetime.UTC))
    body = webhook_body("order_fully_paid", order)
    body["recipient"]["id"] = fake_saleor.app_id
    raw = json.dumps(body).encode()
    post_webhook("order_fully_paid", raw, fake_saleor.webhook_headers("order_fully_paid", raw))
    attribution = OrderAttribution.objects.get(order__saleor_order_id=order["id"])
    assert (attribution.rule, attribution.customer.sponsor) == (AttributionRule.REFERRAL_METADATA, anna)


def test_errors_stand_at_their_fields(gql, shop, as_anna):
    line = [{"variantId": "UHJvZHVjdFZhcmlhbnQ6MQ==", "quantity": 1}]
    missing = gql(CREATE, {"input": {**CUSTOMER, "email": "not-an-address", "city": " ", "postalCode": "", "lines": []}}, headers=as_anna)
    errors = {error["field"]: error["code"] for error in missing.data["customerCheckoutCreate"]["errors"]}
    assert errors == {"email": "INVALID", "city": "REQUIRED", "postalCode": "REQUIRED", "lines": "REQUIRED"}
    assert not shop.checkouts  # nothing was sent to the shop

    # Saleor's own address validation: a German postal code has five digits.
    wrong = gql(CREATE, {"input": {**CUSTOMER, "postalCode": "1011", "lines": line}}, headers=as_anna)
    assert [(e["field"], e["code"]) for e in wrong.data["customerCheckoutCreate"]["errors"]] == [("postalCode", "INVALID")]
    # A product the shop does not sell (any more).
    hidden = gql(CREATE, {"input": {**CUSTOMER, "lines": [{"variantId": "UHJvZHVjdFZhcmlhbnQ6NA==", "quantity": 1}]}}, headers=as_anna)
    assert [(e["field"], e["code"]) for e in hidden.data["customerCheckoutCreate"]["errors"]] == [("lines", "NOT_AVAILABLE")]
    # In German.
    german = gql(CREATE, {"input": {**CUSTOMER, "postalCode": "", "lines": line}}, headers={**as_anna, "HTTP_ACCEPT_LANGUAGE": "de"})
    assert german.data["customerCheckoutCreate"]["errors"][0]["message"] == "Dieses Feld ist erforderlich."


def test_only_the_signed_in_partner_and_never_another_code(gql, shop, as_anna, anna, saleor_installation, fake_saleor, ledger_partner):
    # The input has no field naming a partner or a code: the schema refuses one.
    other = gql(CREATE, {"input": {**CUSTOMER, "referralCode": "BERT", "lines": []}}, headers=as_anna)
    assert other.errors and "referralCode" in other.errors[0]["message"]
    # A shop account that is not a partner, and nobody at all.
    tokens = TokenFactory(signer=fake_saleor.signer, installation=saleor_installation)
    customer = {"HTTP_AUTHORIZATION": f"Bearer {tokens.access(user_id='VXNlcjo5OTk=', email='kim@example.com')}"}
    line = [{"variantId": "UHJvZHVjdFZhcmlhbnQ6MQ==", "quantity": 1}]
    refused = gql(CREATE, {"input": {**CUSTOMER, "lines": line}}, headers=customer)
    assert refused.error_codes == ["PERMISSION_DENIED"] and refused.data["customerCheckoutCreate"] is None
    anonymous = gql(CREATE, {"input": {**CUSTOMER, "lines": line}}, headers={"HTTP_SALEOR_API_URL": fake_saleor.api_url})
    assert anonymous.error_codes == ["PERMISSION_DENIED"]
    assert gql(PRODUCTS, headers=customer).error_codes == ["PERMISSION_DENIED"]
    # A terminated partner's code attributes nothing: no checkout.
    anna.status = PartnerStatus.TERMINATED
    anna.save(update_fields=["status"])
    ended = gql(CREATE, {"input": {**CUSTOMER, "lines": line}}, headers=as_anna)
    assert [error["code"] for error in ended.data["customerCheckoutCreate"]["errors"]] == ["PARTNER_TERMINATED"]
    assert not shop.checkouts


def test_the_catalogue_and_countries_are_the_channels(gql, shop, as_anna, saleor_installation, fake_saleor):
    products = gql(PRODUCTS, headers=as_anna).data["officeProducts"]
    assert [product["name"] for product in products] == ["Aloe Vera Gel", "Proteinshake"]  # never the unpublished serum
    countries = gql(COUNTRIES, headers={**as_anna, "HTTP_ACCEPT_LANGUAGE": "de"}).data["officeCountries"]
    assert countries == [{"code": "DE", "name": "Deutschland"}, {"code": "AT", "name": "Österreich"}]
    # Every call went without a token, as a visitor's browser calls.
    assert {request.headers.get("Authorization") for request in fake_saleor.requests_to("/graphql/")} == {None}

    set_checkout_settings(saleor_installation, channel="b2b-channel")
    refused = gql(PRODUCTS, headers=as_anna)
    assert refused.error_codes == ["SHOP_REFUSED"] and "b2b-channel" in refused.errors[0]["message"]


def test_the_payment_page_is_the_installations_setting(gql, shop, as_anna, saleor_installation, settings):
    line = [{"variantId": "UHJvZHVjdFZhcmlhbnQ6MQ==", "quantity": 1}]
    set_checkout_settings(saleor_installation, payment_url="https://pay.example.com/{channel}/checkout/{token}")
    made = gql(CREATE, {"input": {**CUSTOMER, "lines": line}}, headers=as_anna).data["customerCheckoutCreate"]["checkout"]
    token = shop.checkouts[made["id"]].token
    assert made["paymentUrl"] == f"https://pay.example.com/default-channel/checkout/{token}"

    # The default page needs the storefront's address: without it, no checkout is made.
    set_checkout_settings(saleor_installation, payment_url="{storefront}/checkout?checkout={id}")
    settings.STOREFRONT_URL = ""
    refused = gql(CREATE, {"input": {**CUSTOMER, "lines": line}}, headers=as_anna).data["customerCheckoutCreate"]
    assert [error["code"] for error in refused["errors"]] == ["NO_PAYMENT_URL"] and len(shop.checkouts) == 1


@pytest.mark.parametrize(
    "payment_url", ["{storefront}/checkout", "https://pay.example.com/{checkout}", "javascript:alert({id})", "{storefront}/{id"]
)
def test_a_payment_page_without_the_checkout_or_not_on_the_web_is_refused(saleor_installation, payment_url):
    with pytest.raises(DomainError) as refused:
        set_checkout_settings(saleor_installation, payment_url=payment_url)
    assert (refused.value.field, refused.value.code) == ("payment_url", CheckoutErrorCode.INVALID)


SETTINGS = "{ customerCheckoutSettings { channel paymentUrl storefrontUrl } }"
SETTINGS_UPDATE = """
mutation($input: CustomerCheckoutSettingsInput!) {
  customerCheckoutSettingsUpdate(input: $input) { errors { field code } settings { channel paymentUrl } }
}
"""


def test_the_merchant_reads_and_sets_the_checkout_settings(gql, dashboard, storefront, settings):
    settings.STOREFRONT_URL = STOREFRONT
    assert gql(SETTINGS, as_=dashboard(MlmPermission.MANAGE_ORDERS)).data["customerCheckoutSettings"] == {
        "channel": "default-channel",
        "paymentUrl": "{storefront}/checkout?checkout={id}",
        "storefrontUrl": STOREFRONT,
    }
    assert gql(SETTINGS, as_=storefront()).error_codes == ["PERMISSION_DENIED"]
    assert gql(SETTINGS_UPDATE, {"input": {"channel": "de"}}, as_=dashboard()).error_codes == ["PERMISSION_DENIED"]

    wrong = gql(SETTINGS_UPDATE, {"input": {"channel": "de", "paymentUrl": "{storefront}/pay"}}, as_=dashboard(MlmPermission.MANAGE_ORDERS))
    assert wrong.data["customerCheckoutSettingsUpdate"]["errors"] == [{"field": "paymentUrl", "code": "INVALID"}]
    changed = gql(SETTINGS_UPDATE, {"input": {"channel": "de"}}, as_=dashboard(MlmPermission.MANAGE_ORDERS))
    assert changed.data["customerCheckoutSettingsUpdate"] == {
        "errors": [],
        "settings": {"channel": "de", "paymentUrl": "{storefront}/checkout?checkout={id}"},
    }
