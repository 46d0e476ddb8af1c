"""GET /api/manifest, checked against the rules Saleor applies when it installs an app.

The rules are those of `saleor/app/manifest_validations.py` and `manifest_schema.py`
(3.20 to 3.24); the lists of names below are Saleor's own enums, copied as data.
"""

from __future__ import annotations

import re

import pytest
from graphql import OperationType, parse
from graphql.language import FieldNode, FragmentDefinitionNode, InlineFragmentNode, OperationDefinitionNode

import saleor_mlm
from saleor_mlm.installations.manifest import build_manifest

# saleor/permission/enums.py: every permission an app may ask for (MANAGE_APPS is refused).
SALEOR_PERMISSIONS = {
    "MANAGE_USERS", "MANAGE_STAFF", "IMPERSONATE_USER", "MANAGE_OBSERVABILITY", "MANAGE_CHANNELS",
    "MANAGE_CHECKOUTS", "HANDLE_CHECKOUTS", "HANDLE_TAXES", "MANAGE_TAXES", "MANAGE_DISCOUNTS",
    "MANAGE_GIFT_CARD", "MANAGE_MENUS", "MANAGE_ORDERS", "MANAGE_ORDERS_IMPORT", "MANAGE_PAGES",
    "MANAGE_PAGE_TYPES_AND_ATTRIBUTES", "HANDLE_PAYMENTS", "MANAGE_PLUGINS", "MANAGE_PRODUCTS",
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES", "MANAGE_SHIPPING", "MANAGE_SETTINGS", "MANAGE_TRANSLATIONS",
}  # fmt: skip
# saleor/app/types.py (3.20): mounts and targets every supported Saleor knows.
MOUNTS_3_20 = {
    "CUSTOMER_OVERVIEW_CREATE", "CUSTOMER_OVERVIEW_MORE_ACTIONS", "CUSTOMER_DETAILS_MORE_ACTIONS",
    "PRODUCT_OVERVIEW_CREATE", "PRODUCT_OVERVIEW_MORE_ACTIONS", "PRODUCT_DETAILS_MORE_ACTIONS",
    "NAVIGATION_CATALOG", "NAVIGATION_ORDERS", "NAVIGATION_CUSTOMERS", "NAVIGATION_DISCOUNTS",
    "NAVIGATION_TRANSLATIONS", "NAVIGATION_PAGES", "ORDER_DETAILS_MORE_ACTIONS", "ORDER_OVERVIEW_CREATE",
    "ORDER_OVERVIEW_MORE_ACTIONS",
}  # fmt: skip
TARGETS_3_20 = {"POPUP", "APP_PAGE"}
# From 3.22: widgets, only on these mounts.
WIDGET_MOUNTS = {
    "ORDER_DETAILS_WIDGETS", "PRODUCT_DETAILS_WIDGETS", "VOUCHER_DETAILS_WIDGETS",
    "DRAFT_ORDER_DETAILS_WIDGETS", "GIFT_CARD_DETAILS_WIDGETS", "CUSTOMER_DETAILS_WIDGETS",
    "COLLECTION_DETAILS_WIDGETS",
}  # fmt: skip
TARGETS_3_22 = TARGETS_3_20 | {"NEW_TAB", "WIDGET"}
# saleor/webhook/event_types.py: the asynchronous events we use, all present since 3.20.
ASYNC_EVENTS = {
    "ORDER_FULLY_PAID", "ORDER_REFUNDED", "ORDER_FULLY_REFUNDED", "ORDER_CANCELLED",
    "CUSTOMER_CREATED", "CUSTOMER_UPDATED",
}  # fmt: skip
NPM_RANGE = re.compile(r"^\s*(\^|~|>=|<=|>|<|=)?\s*\d+(\.\d+){0,2}(\s+(\|\||-)?\s*(\^|~|>=|<=|>|<|=)?\s*\d+(\.\d+){0,2})*\s*$")

BASE = "https://mlm.example.com"


@pytest.fixture
def manifest():
    return build_manifest(BASE)


def test_required_keys_and_values(manifest):
    assert {"id", "name", "version", "tokenTargetUrl"} <= set(manifest)
    assert manifest["id"] == "saleor-mlm"
    assert manifest["name"] == "Saleor MLM"
    assert manifest["version"] == saleor_mlm.__version__
    assert manifest["requiredSaleorVersion"] == ">=3.20"
    assert NPM_RANGE.match(manifest["requiredSaleorVersion"])
    assert manifest["author"].strip() == manifest["author"] != ""
    assert manifest["about"]
    assert manifest["homepageUrl"].startswith("https://")
    assert manifest["appUrl"] == f"{BASE}/dashboard/"
    assert manifest["tokenTargetUrl"] == f"{BASE}/api/register"


def test_permissions_are_saleor_permission_names(manifest):
    assert manifest["permissions"] == ["MANAGE_ORDERS", "MANAGE_USERS", "MANAGE_DISCOUNTS"]
    assert set(manifest["permissions"]) <= SALEOR_PERMISSIONS
    assert "MANAGE_APPS" not in manifest["permissions"]


def test_extensions_use_valid_mounts_targets_urls_and_permissions(manifest):
    by_mount = {extension["mount"]: extension for extension in manifest["extensions"]}

    assert set(by_mount) == {"NAVIGATION_CUSTOMERS", "CUSTOMER_DETAILS_WIDGETS", "ORDER_DETAILS_WIDGETS"}
    assert by_mount["NAVIGATION_CUSTOMERS"] == {
        "label": "Network",
        "url": "/",
        "mount": "NAVIGATION_CUSTOMERS",
        "target": "APP_PAGE",
        "permissions": ["MANAGE_USERS"],
    }
    assert by_mount["CUSTOMER_DETAILS_WIDGETS"]["url"] == f"{BASE}/dashboard/widgets/customer"
    assert by_mount["ORDER_DETAILS_WIDGETS"]["url"] == f"{BASE}/dashboard/widgets/order"
    for extension in manifest["extensions"]:
        assert {"label", "url", "mount"} <= set(extension)
        assert extension["mount"] == extension["mount"].upper()  # 3.20-3.22 compare upper case
        assert extension["mount"] in MOUNTS_3_20 | WIDGET_MOUNTS
        assert extension["target"] in TARGETS_3_22
        if extension["target"] == "WIDGET":
            assert extension["mount"] in WIDGET_MOUNTS
            assert extension["url"].startswith("https://")  # the Dashboard concatenates relative ones
        if extension["target"] == "APP_PAGE":
            assert extension["url"].startswith("/")  # Saleor 3.20 refuses absolute APP_PAGE URLs
        if extension["url"].startswith("/"):
            assert manifest["appUrl"]  # relative URLs need appUrl
        # Extension permissions must be a subset of the app's.
        assert set(extension["permissions"]) <= set(manifest["permissions"])


def subscription_of(query: str) -> OperationDefinitionNode:
    document = parse(query)  # raises GraphQLSyntaxError if it does not parse
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1
    return operations[0]


def test_webhooks_are_valid_subscriptions_with_one_top_field(manifest):
    assert [webhook["asyncEvents"] for webhook in manifest["webhooks"]] == [
        ["ORDER_FULLY_PAID"],
        ["ORDER_REFUNDED"],
        ["ORDER_FULLY_REFUNDED"],
        ["ORDER_CANCELLED"],
        ["CUSTOMER_CREATED"],
        ["CUSTOMER_UPDATED"],
    ]
    for webhook in manifest["webhooks"]:
        (event,) = webhook["asyncEvents"]
        assert event in ASYNC_EVENTS
        assert {"name", "targetUrl", "query"} <= set(webhook)
        assert webhook["isActive"] is True
        assert webhook["targetUrl"] == f"{BASE}/api/webhooks/{event.lower()}"
        operation = subscription_of(webhook["query"])
        assert operation.operation == OperationType.SUBSCRIPTION
        (top,) = operation.selection_set.selections  # exactly one top-level field
        assert isinstance(top, FieldNode) and top.name.value == "event"
        # The event's type is selected by an inline fragment, as Saleor reads it.
        types = [s.type_condition.name.value for s in top.selection_set.selections if isinstance(s, InlineFragmentNode)]
        assert types == ["".join(part.capitalize() for part in event.split("_"))]


def test_subscriptions_select_the_envelope_and_define_only_used_fragments(manifest):
    for webhook in manifest["webhooks"]:
        document = parse(webhook["query"])
        fragments = {d.name.value for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        spreads = set(re.findall(r"\.\.\.\s*([A-Za-z_]\w*)", webhook["query"])) - {"on"}
        assert fragments == spreads  # Saleor refuses unused fragments
        for field in ("issuedAt", "version", "issuingPrincipal", "recipient { id }", "__typename"):
            assert field in webhook["query"]


def test_the_order_subscription_selects_what_the_payload_parser_reads(manifest):
    query = next(w["query"] for w in manifest["webhooks"] if w["asyncEvents"] == ["ORDER_FULLY_PAID"])
    for field in (
        "number", "created", "status", "chargeStatus", "userEmail", "voucherCode", "languageCodeEnum",
        "user { id email metadata { key value } }", "channel { slug currencyCode }",
        "billingAddress { country { code } }", "totalCharged { amount currency }",
        "totalRefunded { amount currency }", "privateMetadata { key value }", "productSku", "quantity",
        "product { id metadata { key value } }",
    ):  # fmt: skip
        assert field in query


@pytest.mark.parametrize("schema_version", ["3.20", "3.21"])
def test_saleor_before_3_22_gets_no_widgets(schema_version):
    manifest = build_manifest(BASE, schema_version)

    assert [extension["mount"] for extension in manifest["extensions"]] == ["NAVIGATION_CUSTOMERS"]
    for extension in manifest["extensions"]:
        assert extension["mount"] in MOUNTS_3_20
        assert extension["target"] in TARGETS_3_20


@pytest.mark.parametrize("schema_version", ["3.22", "3.24", None, "garbage"])
def test_saleor_3_22_and_later_gets_widgets(schema_version):
    mounts = [extension["mount"] for extension in build_manifest(BASE, schema_version)["extensions"]]

    assert "CUSTOMER_DETAILS_WIDGETS" in mounts and "ORDER_DETAILS_WIDGETS" in mounts


@pytest.mark.django_db
def test_the_view_uses_app_url(client, settings):
    settings.APP_URL = "https://mlm.shop.example"

    response = client.get("/api/manifest", headers={"Saleor-Schema-Version": "3.21"})

    assert response.status_code == 200
    data = response.json()
    assert data["tokenTargetUrl"] == "https://mlm.shop.example/api/register"
    assert data["webhooks"][0]["targetUrl"] == "https://mlm.shop.example/api/webhooks/order_fully_paid"
    assert len(data["extensions"]) == 1


@pytest.mark.django_db
def test_without_app_url_the_request_builds_the_urls(client, settings):
    settings.APP_URL = ""

    data = client.get("/api/manifest", HTTP_HOST="localhost:8000").json()

    assert data["appUrl"] == "http://localhost:8000/dashboard/"
    assert data["tokenTargetUrl"] == "http://localhost:8000/api/register"


@pytest.mark.django_db
def test_behind_a_tls_proxy_the_urls_are_https(client, settings):
    settings.APP_URL = ""

    data = client.get("/api/manifest", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https").json()

    assert data["tokenTargetUrl"] == "https://localhost/api/register"


@pytest.mark.django_db
def test_the_app_id_is_configurable(client, settings):
    settings.SALEOR_APP_IDENTIFIER = "acme-mlm"

    assert client.get("/api/manifest").json()["id"] == "acme-mlm"


@pytest.mark.django_db
def test_only_get(client):
    assert client.post("/api/manifest").status_code == 405


@pytest.mark.skipif(not __import__("os").environ.get("SALEOR_SCHEMA_SDL"), reason="set SALEOR_SCHEMA_SDL to a Saleor schema.graphql")
def test_subscriptions_validate_against_a_saleor_schema(manifest):
    """Run with Saleor's own schema: SALEOR_SCHEMA_SDL=.../saleor/graphql/schema.graphql (3.20+)."""
    import os

    from graphql import build_schema, validate

    schema = build_schema(open(os.environ["SALEOR_SCHEMA_SDL"]).read())
    for webhook in manifest["webhooks"]:
        assert validate(schema, parse(webhook["query"])) == [], webhook["name"]


# saleor/app/manifest_validations.py (3.20) and installation_utils.fetch_icon_image: the logo
# URL must end in .png; its answer must be `image/png` exactly (no redirect), a square of at
# least 256 pixels (saleor/thumbnail: MIN_ICON_SIZE), at most 10 MB.
MIN_ICON_SIZE = 256
MAX_ICON_BYTES = 10 * 1024 * 1024


@pytest.mark.parametrize("schema_version", ["3.20", "3.22", None])
def test_the_manifest_links_privacy_support_homepage_and_the_logo(schema_version, settings):
    settings.SALEOR_APP_DATA_PRIVACY_URL = "https://shop.example.com/privacy"
    settings.SALEOR_APP_SUPPORT_URL = "https://shop.example.com/support"

    manifest = build_manifest(BASE, schema_version)

    assert manifest["dataPrivacyUrl"] == "https://shop.example.com/privacy"
    assert manifest["supportUrl"] == "https://shop.example.com/support"
    assert manifest["homepageUrl"] == settings.SALEOR_APP_HOMEPAGE_URL
    assert manifest["brand"] == {"logo": {"default": f"{BASE}/api/logo.png"}}
    assert __import__("mimetypes").guess_type(manifest["brand"]["logo"]["default"])[0] == "image/png"


def test_the_default_links_are_the_projects(settings):
    manifest = build_manifest(BASE)

    assert manifest["homepageUrl"] == "https://github.com/saleor-mlm/saleor-mlm"
    assert manifest["supportUrl"] == "https://github.com/saleor-mlm/saleor-mlm/issues"
    assert manifest["dataPrivacyUrl"] == "https://github.com/saleor-mlm/saleor-mlm/blob/main/docs/privacy.md"


@pytest.mark.django_db
def test_the_app_serves_its_logo_as_saleor_fetches_it(client, settings):
    import struct

    settings.APP_URL = ""
    logo_url = client.get("/api/manifest").json()["brand"]["logo"]["default"]

    response = client.get(logo_url.removeprefix("http://testserver"))

    assert response.status_code == 200  # no redirect: Saleor does not follow one
    assert response["Content-Type"] == "image/png"
    body = response.content
    assert body.startswith(b"\x89PNG\r\n\x1a\n") and body[12:16] == b"IHDR"
    width, height = struct.unpack(">II", body[16:24])
    assert width == height >= MIN_ICON_SIZE
    assert len(body) <= MAX_ICON_BYTES
