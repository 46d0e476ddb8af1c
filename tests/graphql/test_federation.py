"""The API as a federation subgraph: `_service { sdl }`, `_entities`, and who sees what
through `User.mlmPartner`, `User.mlmCustomer`, `Order.mlmAttribution` and the app's own
entities (saleor_mlm/graphql/federation/)."""

import datetime

import pytest
from graphql import build_ast_schema, find_breaking_changes, parse, print_schema
from graphql_relay import to_global_id

from saleor_mlm.graphql.api import schema
from saleor_mlm.graphql.federation.spec import MAX_REPRESENTATIONS
from saleor_mlm.graphql.schema_export import SUBGRAPH_PATH
from saleor_mlm.ledger.crediting import CreditOutcome, credit_order_event
from saleor_mlm.network.models import Partner
from tests.fixtures.graphql import ANNA_USER, BERT_USER, FRANK_USER, KUNDE_USER
from tests.fixtures.orders import order_line

pytestmark = pytest.mark.django_db

SERVICE = "query { _service { sdl } }"

USERS = """
query Users($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      id
      mlmPartner { referralCode displayName email status sponsor { referralCode } }
      mlmCustomer { email sponsor { referralCode } }
    }
  }
}
"""

PARTNER_USERS = """
query Users($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id mlmPartner { referralCode email } } }
}
"""

ORDERS = """
query Orders($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Order {
      id
      mlmAttribution {
        orderId rule pv bv netPv
        partner { referralCode email }
        customer { email sponsor { referralCode email } }
        viaPartner { referralCode email }
        parked { eventKind }
      }
    }
  }
}
"""

NODES = """
query Nodes($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Partner { referralCode email }
    ... on Customer { displayName email }
  }
}
"""

FEDERATION_DIRECTIVES = """
directive @key(fields: String!) repeatable on OBJECT | INTERFACE
directive @shareable on OBJECT | FIELD_DEFINITION
"""

BEN_USER = "VXNlcjoxMDU="  # base64("User:105")
PAID_AT = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)


def users(*user_ids):
    return {"representations": [{"__typename": "User", "id": user_id} for user_id in user_ids]}


def denied_paths(result) -> list:
    return sorted((error["path"], error["extensions"]["code"]) for error in result.errors)


# --- _service ---------------------------------------------------------------------------


def test_service_sdl_is_the_committed_subgraph_sdl_with_keys_on_the_entities(gql):
    result = gql(SERVICE)

    assert result.errors == []
    sdl = result.data["_service"]["sdl"]
    assert sdl == SUBGRAPH_PATH.read_text(encoding="utf-8")
    assert sdl.startswith('extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])')
    document = parse(sdl)
    keyed = sorted(
        definition.name.value
        for definition in document.definitions
        if any(directive.name.value == "key" for directive in getattr(definition, "directives", None) or ())
    )
    assert keyed == ["Customer", "Order", "Partner", "User"]


def test_the_subgraph_sdl_is_a_part_of_the_schema_the_endpoint_serves():
    """Every type, field and argument the gateway plans with exists in the full schema
    with the same type: the full schema is the view without a breaking change."""
    sdl = SUBGRAPH_PATH.read_text(encoding="utf-8")
    view = build_ast_schema(parse(FEDERATION_DIRECTIVES + sdl.split("\n", 1)[1]))
    served = build_ast_schema(parse(print_schema(schema.graphql_schema)))

    changes = find_breaking_changes(view, served)
    # The federation's directives are the gateway's, not the endpoint's.
    assert [change.description for change in changes] == ["key was removed.", "shareable was removed."]
    query_fields = set(view.query_type.fields)
    assert {"me", "customers", "_entities", "_service"} & query_fields == set()
    assert {"me", "customers", "partners", "genealogy"} <= set(served.query_type.fields)
    assert "LanguageCodeEnum" not in view.type_map


# --- _entities: validation ------------------------------------------------------------


def test_representations_without_an_entity_type_or_key_are_errors_at_their_index(gql, dashboard, sample_network):
    representations = [{"__typename": "Product", "id": "UHJvZHVjdDox"}, {"id": ANNA_USER}, {"__typename": "User"}, {"__typename": "User", "id": ANNA_USER}]

    result = gql(PARTNER_USERS, {"representations": representations}, as_=dashboard("MANAGE_USERS"))

    assert result.data == {"_entities": [None, None, None, {"id": ANNA_USER, "mlmPartner": {"referralCode": "ANNA1", "email": "anna@example.com"}}]}
    assert denied_paths(result) == [
        (["_entities", 0], "INVALID_REPRESENTATION"),
        (["_entities", 1], "INVALID_REPRESENTATION"),
        (["_entities", 2], "INVALID_REPRESENTATION"),
    ]


def test_too_many_representations_in_one_call_are_refused(gql, dashboard, sample_network):
    result = gql(PARTNER_USERS, users(*[ANNA_USER] * (MAX_REPRESENTATIONS + 1)), as_=dashboard("MANAGE_USERS"))

    assert result.data is None
    assert result.error_codes == ["TOO_MANY_REPRESENTATIONS"]


# --- User.mlmPartner and User.mlmCustomer -----------------------------------------------


def test_a_partner_sees_itself_and_its_downline_and_no_other_line(gql, storefront, sample_network):
    Partner.objects.filter(pk=sample_network["ben"].pk).update(saleor_user_id=BEN_USER)

    result = gql(USERS, users(ANNA_USER, BEN_USER, BERT_USER, FRANK_USER, KUNDE_USER), as_=storefront(ANNA_USER, "anna@example.com"))

    entities = result.data["_entities"]
    assert entities[0] == {
        "id": ANNA_USER,
        "mlmPartner": {"referralCode": "ANNA1", "displayName": "Anna Muster", "email": "anna@example.com", "status": "ACTIVE", "sponsor": {"referralCode": "ROOT1"}},
        "mlmCustomer": None,
    }
    assert entities[1]["mlmPartner"] == {"referralCode": "BEN1", "displayName": "Ben Muster", "email": "ben@example.com", "status": "ACTIVE", "sponsor": {"referralCode": "ANNA1"}}
    # Bert and Frank are another line, Kunde no partner: null, with an error, never data.
    assert [entity["mlmPartner"] for entity in entities[2:]] == [None, None, None]
    assert [entity["mlmCustomer"] for entity in entities[1:]] == [None, None, None, None]
    assert denied_paths(result) == [
        (["_entities", 1, "mlmCustomer"], "PERMISSION_DENIED"),
        (["_entities", 2, "mlmCustomer"], "PERMISSION_DENIED"),
        (["_entities", 2, "mlmPartner"], "PERMISSION_DENIED"),
        (["_entities", 3, "mlmCustomer"], "PERMISSION_DENIED"),
        (["_entities", 3, "mlmPartner"], "PERMISSION_DENIED"),
        (["_entities", 4, "mlmCustomer"], "PERMISSION_DENIED"),
        (["_entities", 4, "mlmPartner"], "PERMISSION_DENIED"),
    ]


def test_the_upline_is_not_seen_through_user_either(gql, storefront, sample_network):
    """Frank (below Bert) asks for Bert, his sponsor's line, and for Anna: both denied."""
    result = gql(PARTNER_USERS, users(FRANK_USER, BERT_USER, ANNA_USER), as_=storefront(FRANK_USER, "frank@example.com"))

    assert result.data == {
        "_entities": [
            {"id": FRANK_USER, "mlmPartner": {"referralCode": "FRANK1", "email": "frank@example.com"}},
            {"id": BERT_USER, "mlmPartner": None},
            {"id": ANNA_USER, "mlmPartner": None},
        ]
    }
    assert denied_paths(result) == [(["_entities", 1, "mlmPartner"], "PERMISSION_DENIED"), (["_entities", 2, "mlmPartner"], "PERMISSION_DENIED")]


def test_user_fields_in_the_four_cases(gql, four_requestors, sample_network):
    cases = four_requestors("MANAGE_USERS")
    results = {name: gql(USERS, users(ANNA_USER, KUNDE_USER), as_=as_) for name, as_ in cases.items()}

    for name in ("anonymous", "storefront", "dashboard_without"):
        assert results[name].data == {
            "_entities": [{"id": ANNA_USER, "mlmPartner": None, "mlmCustomer": None}, {"id": KUNDE_USER, "mlmPartner": None, "mlmCustomer": None}]
        }, name
        assert set(results[name].error_codes) == {"PERMISSION_DENIED"} and len(results[name].errors) == 4, name
    merchant = results["dashboard_with"]
    assert merchant.errors == []
    assert merchant.data["_entities"] == [
        {
            "id": ANNA_USER,
            "mlmPartner": {"referralCode": "ANNA1", "displayName": "Anna Muster", "email": "anna@example.com", "status": "ACTIVE", "sponsor": {"referralCode": "ROOT1"}},
            "mlmCustomer": None,
        },
        {"id": KUNDE_USER, "mlmPartner": None, "mlmCustomer": {"email": "kunde@example.com", "sponsor": {"referralCode": "ANNA1"}}},
    ]


def test_a_customer_sees_itself_as_customer(gql, storefront, sample_network):
    result = gql(USERS, users(KUNDE_USER), as_=storefront(KUNDE_USER, "kunde@example.com"))

    assert result.errors == []
    assert result.data == {"_entities": [{"id": KUNDE_USER, "mlmPartner": None, "mlmCustomer": {"email": "kunde@example.com", "sponsor": {"referralCode": "ANNA1"}}}]}


def test_user_fields_need_a_known_shop(gql, sample_network):
    result = gql(PARTNER_USERS, users(ANNA_USER))

    assert result.data == {"_entities": [{"id": ANNA_USER, "mlmPartner": None}]}
    assert result.error_codes == ["UNKNOWN_INSTALLATION"]


# --- Order.mlmAttribution ------------------------------------------------------------------


@pytest.fixture
def kunde_order(gql_installation, sample_network, order_event_factory):
    """Kunde (Anna's customer, a Saleor user) pays 2 x 20.00 EUR at PV 10 per unit."""
    paid = order_event_factory(
        installation=gql_installation,
        order_id="T3JkZXI6OTEx",
        number="911",
        issued_at=PAID_AT,
        email="kunde@example.com",
        user_id=KUNDE_USER,
        lines=[order_line(sku="TEA", quantity=2, net="20.00", variant_pv="10", line_id="T3JkZXJMaW5lOjkxMQ==")],
    )
    assert credit_order_event(paid).outcome == CreditOutcome.CREDITED
    return paid.order


def orders(*order_ids):
    return {"representations": [{"__typename": "Order", "id": order_id} for order_id in order_ids]}


def test_the_buyer_sees_its_own_order_and_the_public_profile_of_its_partner(gql, storefront, kunde_order):
    result = gql(ORDERS, orders("T3JkZXI6OTEx"), as_=storefront(KUNDE_USER, "kunde@example.com"))

    assert result.errors == []
    assert result.data == {
        "_entities": [
            {
                "id": "T3JkZXI6OTEx",
                "mlmAttribution": {
                    "orderId": "T3JkZXI6OTEx",
                    "rule": "KNOWN_CUSTOMER",
                    "pv": "20.0000",
                    "bv": "40.0000",
                    "netPv": "20.0000",
                    "partner": None,
                    "customer": {"email": "kunde@example.com", "sponsor": {"referralCode": "ANNA1", "email": None}},
                    "viaPartner": {"referralCode": "ANNA1", "email": None},
                    "parked": [],
                },
            }
        ]
    }


def test_order_attribution_in_the_four_cases_and_for_another_user(gql, four_requestors, storefront, kunde_order):
    cases = {**four_requestors("MANAGE_ORDERS"), "anna": storefront(ANNA_USER, "anna@example.com")}
    results = {name: gql(ORDERS, orders("T3JkZXI6OTEx", "T3JkZXI6OTk5"), as_=as_) for name, as_ in cases.items()}

    for name in ("anonymous", "storefront", "dashboard_without", "anna"):
        assert results[name].data == {"_entities": [{"id": "T3JkZXI6OTEx", "mlmAttribution": None}, {"id": "T3JkZXI6OTk5", "mlmAttribution": None}]}, name
        assert denied_paths(results[name]) == [
            (["_entities", 0, "mlmAttribution"], "PERMISSION_DENIED"),
            (["_entities", 1, "mlmAttribution"], "PERMISSION_DENIED"),
        ], name
    merchant = results["dashboard_with"]
    assert merchant.errors == []
    # The merchant sees everyone with merchant access; an order the app never got is null.
    assert merchant.data["_entities"][0]["mlmAttribution"]["viaPartner"] == {"referralCode": "ANNA1", "email": "anna@example.com"}
    assert merchant.data["_entities"][1] == {"id": "T3JkZXI6OTk5", "mlmAttribution": None}


def test_orders_of_a_page_are_loaded_together(gql, dashboard, kunde_order, django_assert_max_num_queries):
    as_ = dashboard("MANAGE_ORDERS")
    with django_assert_max_num_queries(12):
        result = gql(ORDERS, orders(*["T3JkZXI6OTEx"] * 3, "T3JkZXI6OTk5", "T3JkZXI6OTk4"), as_=as_)

    assert result.errors == []
    assert [entity["mlmAttribution"] and entity["mlmAttribution"]["pv"] for entity in result.data["_entities"]] == ["20.0000"] * 3 + [None, None]


# --- the app's own entities ---------------------------------------------------------------


def node(instance) -> dict:
    return {"__typename": type(instance).__name__, "id": to_global_id(type(instance).__name__, instance.pk)}


def test_a_partner_resolves_its_downline_and_own_customers_only(gql, storefront, sample_network):
    n = sample_network
    representations = [node(n["anna"]), node(n["carl"]), node(n["kunde"]), node(n["bert"]), node(n["root"]), node(n["gast"])]

    result = gql(NODES, {"representations": representations}, as_=storefront(ANNA_USER, "anna@example.com"))

    assert result.data == {
        "_entities": [
            {"__typename": "Partner", "referralCode": "ANNA1", "email": "anna@example.com"},
            {"__typename": "Partner", "referralCode": "CARL1", "email": "carl@example.com"},
            {"__typename": "Customer", "displayName": "Kunde Eins", "email": "kunde@example.com"},
            None,
            None,
            None,
        ]
    }
    assert denied_paths(result) == [(["_entities", index], "PERMISSION_DENIED") for index in (3, 4, 5)]


def test_the_merchant_resolves_every_partner_and_customer(gql, dashboard, sample_network):
    n = sample_network
    unknown = {"__typename": "Partner", "id": to_global_id("Partner", 999_999)}

    result = gql(NODES, {"representations": [node(n["bert"]), node(n["gast"]), unknown]}, as_=dashboard("MANAGE_USERS"))

    assert result.errors == []
    assert result.data == {
        "_entities": [
            {"__typename": "Partner", "referralCode": "BERT1", "email": "bert@example.com"},
            {"__typename": "Customer", "displayName": "Gast Zwei", "email": "gast@example.com"},
            None,
        ]
    }


def test_partners_of_another_shop_are_not_resolved(gql, dashboard, sample_network, partner_factory, installation_factory):
    other = partner_factory(None, installation=installation_factory(saleor_api_url="https://other.example.com/graphql/"))

    result = gql(NODES, {"representations": [node(other)]}, as_=dashboard("MANAGE_USERS"))

    assert result.data == {"_entities": [None]}
