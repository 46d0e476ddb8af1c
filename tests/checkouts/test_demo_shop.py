"""The demo has no Saleor: its installation's shop is the demo catalogue, and the office's
orders for customers work there up to the payment link (docs/office.md, "In the demo")."""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from saleor_mlm.installations.demo_catalog import PRODUCTS
from tests.checkouts.test_customer_checkout import CUSTOMER
from tests.fixtures.graphql import TokenFactory

pytestmark = pytest.mark.django_db

DEMO_USER = "VXNlcjo3Nzc="


@pytest.fixture
def as_demo_partner(installation_factory, rsa_signers, ledger_partner):
    installation = installation_factory(saleor_api_url="https://demo.example.com/graphql/", jwks=rsa_signers[0].jwks(), is_demo=True)
    ledger_partner("DEMO1", installation=installation, email="demo1@example.com", saleor_user_id=DEMO_USER)
    token = TokenFactory(signer=rsa_signers[0], installation=installation).access(user_id=DEMO_USER, email="demo1@example.com")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_demo_sells_its_catalogue_and_makes_a_payment_link(gql, as_demo_partner, settings):
    settings.STOREFRONT_URL = "https://shop.example.com"
    products = gql("{ officeProducts(first: 50) { name variants { id sku price currency } } }", headers=as_demo_partner).data["officeProducts"]
    assert len(products) == len(PRODUCTS) and products == sorted(products, key=lambda product: product["name"])
    [aloe] = gql('{ officeProducts(search: "aloe-gel") { variants { id sku price } } }', headers=as_demo_partner).data["officeProducts"]
    assert [(variant["sku"], variant["price"]) for variant in aloe["variants"]] == [("ALOE-GEL-250", "24.90")]
    countries = gql("{ officeCountries { code } }", headers=as_demo_partner).data["officeCountries"]
    assert sorted(country["code"] for country in countries) == ["AT", "CH", "DE"]

    made = gql(
        """mutation($input: CustomerCheckoutInput!) { customerCheckoutCreate(input: $input) {
          errors { field code } checkout { id paymentUrl totalGross currency voucherCode referralCode } } }""",
        {
            "input": {**CUSTOMER, "lines": [{"variantId": aloe["variants"][0]["id"], "quantity": 3}]}
        },
        headers=as_demo_partner,
    ).data["customerCheckoutCreate"]
    assert made["errors"] == []
    checkout = made["checkout"]
    assert base64.b64decode(checkout["id"]).decode().startswith("Checkout:")
    assert (checkout["totalGross"], checkout["currency"], checkout["voucherCode"], checkout["referralCode"]) == ("74.70", "EUR", "DEMO1", "DEMO1")
    link = urlsplit(checkout["paymentUrl"])
    assert (link.netloc, link.path, parse_qs(link.query)) == ("shop.example.com", "/checkout", {"checkout": [checkout["id"]]})
