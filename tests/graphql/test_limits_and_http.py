"""Query limits (depth, cost, page size, cursors) and the HTTP side of the endpoint."""

import json

import pytest
from graphql import parse, validate

from saleor_mlm.graphql.api import schema
from saleor_mlm.graphql.core.validation import Limits, operation_limits_rule
from saleor_mlm.network.models import Partner

DEEP = """
query Deep {
  me { partner { sponsor { frontline(first: 1) { edges { node { frontline(first: 1) { edges { node {
    frontline(first: 1) { edges { node { sponsor { referralCode } } } }
  } } } } } } } } }
}
"""

EXAMPLE_COST = "query Cost { partners(first: 50) { edges { node { id sponsor { id } } } } }"

COSTLY = """
query Costly {
  partners(first: 100) { totalCount edges { node { frontline(first: 100) { edges { node { customers(first: 100) { totalCount edges { node { email } } } } } } } } }
}
"""


def measure(document: str, variables=None, max_depth=100, max_cost=10**9):
    rule = operation_limits_rule(Limits(max_depth=max_depth, max_cost=max_cost), variables or {})
    return [error.formatted for error in validate(schema.graphql_schema, parse(document), [rule])]


def test_cost_and_depth_are_measured_as_documented():
    [error] = measure(EXAMPLE_COST, max_cost=250)
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 251, "maxCost": 250}
    assert measure(EXAMPLE_COST, max_cost=251) == []
    [error] = measure("query Two { me { partner { id } } }", max_depth=1)
    assert error["extensions"] == {"code": "QUERY_TOO_DEEP", "depth": 2, "maxDepth": 1}


def test_page_sizes_from_variables_count():
    query = "query Cost($n: Int) { partners(first: $n) { edges { node { id } } } }"

    [error] = measure(query, {"n": 100}, max_cost=200)

    assert error["extensions"]["cost"] == 1 + 100 * (1 + 1 + 1)
    assert measure(query, {"n": 10}, max_cost=200) == []
    # Without `first` a page has the default size (20).
    assert measure("query { partners { edges { node { id } } } }", max_cost=60) == [
        {
            "message": "'anonymous' costs 61, more than the maximum of 60: ask for smaller pages or fewer nested lists.",
            "locations": [{"line": 1, "column": 1}],
            "extensions": {"code": "QUERY_TOO_COSTLY", "cost": 61, "maxCost": 60},
        }
    ]


def test_fragments_count_like_inline_selections():
    query = "query { partners(first: 50) { edges { node { ...P } } } } fragment P on Partner { id sponsor { id } }"

    [error] = measure(query, max_cost=250)

    assert error["extensions"]["cost"] == 251


def test_too_deep_over_http(gql, dashboard):
    result = gql(DEEP, as_=dashboard("MANAGE_USERS"))

    assert result.status == 400
    assert result.body == {
        "errors": [
            {
                "message": "'Deep' is nested 13 levels deep, more than the maximum of 12.",
                "locations": [{"line": 2, "column": 1}],
                "extensions": {"code": "QUERY_TOO_DEEP", "depth": 13, "maxDepth": 12},
            }
        ]
    }


def test_too_costly_over_http(gql, dashboard):
    result = gql(COSTLY, as_=dashboard("MANAGE_USERS"))

    assert result.status == 400
    assert result.error_codes == ["QUERY_TOO_COSTLY"]
    customers = 1 + 1 + 100 * (1 + 1 + 1)
    frontline = 1 + 100 * (1 + 1 + customers)
    assert result.errors[0]["extensions"]["cost"] == 1 + 1 + 100 * (1 + 1 + frontline)


def test_limits_come_from_settings(gql, dashboard, settings):
    settings.GRAPHQL_MAX_DEPTH = 1

    shallow = gql("{ partners { totalCount } }", as_=dashboard("MANAGE_USERS"))
    deeper = gql("{ partners { edges { cursor } } }", as_=dashboard("MANAGE_USERS"))

    assert shallow.errors == []
    assert deeper.error_codes == ["QUERY_TOO_DEEP"]


def test_page_size_and_cursor_checks(gql, dashboard, partner_factory, gql_installation):
    merchant = dashboard("MANAGE_USERS")
    partner_factory(installation=gql_installation)

    too_big = gql("{ partners(first: 101) { totalCount } }", as_=merchant)
    both = gql("{ partners(first: 1, last: 1) { totalCount } }", as_=merchant)
    bad_cursor = gql('{ partners(after: "bm9wZQ") { totalCount } }', as_=merchant)

    assert too_big.errors[0]["message"] == "`first` must be between 1 and 100."
    assert too_big.error_codes == ["INVALID_PAGINATION"]
    assert both.errors[0]["message"] == "Give either `first` or `last`, not both."
    assert bad_cursor.errors[0]["message"] == "The cursor is not valid for this connection and sort order."


def test_syntax_errors_are_400(gql, anonymous):
    result = gql("{ partners {", as_=anonymous())

    assert result.status == 400
    assert result.errors[0]["message"].startswith("Syntax Error")


def test_bad_bodies(client, anonymous):
    headers = anonymous().headers

    not_json = client.post("/graphql/", data="{", content_type="application/json", **headers)
    a_batch = client.post("/graphql/", data="[]", content_type="application/json", **headers)

    assert (not_json.status_code, not_json.json()) == (400, {"errors": [{"message": "The body is not valid JSON.", "extensions": {"code": "BAD_REQUEST"}}]})
    assert a_batch.status_code == 400


def test_get_runs_queries_but_not_mutations(client, anonymous):
    headers = anonymous().headers

    query = client.get("/graphql/", {"query": "{ me { partner { id } } }"}, **headers)
    mutation = client.get("/graphql/", {"query": 'mutation { referralCodeValidate(code: "X") { valid } }'}, **headers)

    assert (query.status_code, query.json()) == (200, {"data": {"me": None}})
    assert (mutation.status_code, mutation.json()["errors"][0]["message"]) == (405, "Mutations must be sent with POST.")


def test_graphiql_for_browsers(client, settings, tmp_path):
    # GraphiQL's files come with the dashboard build (tests/test_headers.py has the details).
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "graphiql.json").write_text('{"scripts": ["vendor/graphiql@3/graphiql.min.js"], "styles": []}')
    settings.DASHBOARD_DIST_DIR = str(tmp_path)

    response = client.get("/graphql/", HTTP_ACCEPT="text/html,application/xhtml+xml")

    assert response.status_code == 200
    assert b"GraphiQL.createFetcher" in response.content


def test_cors_preflight_and_headers(client, anonymous):
    preflight = client.options("/graphql/", HTTP_ORIGIN="https://shop.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": "{ me { partner { id } } }"}),
        content_type="application/json",
        HTTP_ORIGIN="https://shop.example.com",
        **anonymous().headers,
    )

    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Headers"] == "authorization, authorization-bearer, saleor-api-url, content-type, accept-language"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cors_with_a_list_of_origins(client, settings):
    settings.GRAPHQL_CORS_ALLOWED_ORIGINS = ["https://shop.example.com"]

    allowed = client.options("/graphql/", HTTP_ORIGIN="https://shop.example.com")
    other = client.options("/graphql/", HTTP_ORIGIN="https://evil.example.com")

    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "Access-Control-Allow-Origin" not in other


def test_unexpected_errors_are_masked(gql, dashboard, monkeypatch, caplog):
    def broken(info, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("saleor_mlm.graphql.network.resolvers.resolve_partners", broken)

    result = gql("{ partners { totalCount } }", as_=dashboard("MANAGE_USERS"))

    assert result.status == 200
    assert result.errors == [
        {"message": "Internal server error.", "locations": [{"line": 1, "column": 3}], "path": ["partners"], "extensions": {"code": "INTERNAL_ERROR"}}
    ]
    assert "GraphQL resolver failed" in caplog.text


def test_statements_cost_more(gql, storefront, sample_network):
    """A statement is recomputed on demand: 2,000 each, so 24 fit under 50,000, 25 do not."""
    from tests.fixtures.graphql import ANNA_USER

    query = "query($n: Int) { me { partner { statements(first: $n) { edges { node { statement { total } } } } } } }"

    fits = gql(query, {"n": 24}, as_=storefront(ANNA_USER))
    too_many = gql(query, {"n": 25}, as_=storefront(ANNA_USER))

    assert fits.errors == []
    assert too_many.error_codes == ["QUERY_TOO_COSTLY"]
    assert too_many.errors[0]["extensions"]["cost"] == 1 + 1 + 1 + 25 * (1 + 1 + 2000 + 1)


# --- the document as a whole: refused before anything runs ------------------------------


def fragment_bomb(levels: int, leaf: str, on: str = "Query") -> str:
    """Each fragment spreads the next one twice: `leaf` 2**levels times once expanded."""
    operation = "mutation" if on == "Mutation" else "query"
    fragments = " ".join(f"fragment F{i} on {on} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"{operation} {{ ...F0 }} {fragments} fragment F{levels} on {on} {{ {leaf} }}"


def create_partner(alias: str, number: int) -> str:
    return f'{alias}: partnerCreate(input: {{email: "p{number}@example.com"}}) {{ errors {{ code }} }}'


def test_each_fragment_is_measured_once():
    """Depth and cost of a fragment are computed once per page size, however often it is
    spread: 40 levels of doubling are measured in 41 steps (before: 2**40)."""
    [error] = measure(fragment_bomb(40, "me { partner { id } }"), max_cost=50_000)

    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 3 * 2**40, "maxCost": 50_000}
    assert measure(fragment_bomb(40, "me { partner { id } }"), max_depth=1)[0]["extensions"]["depth"] == 2


def test_a_fragment_bomb_is_refused_before_it_runs(gql, anonymous):
    """The issue's document: about 800 bytes, 30 levels of fragments spreading the next
    one twice. Refused by the count of fields (each fragment counted once); no `data`:
    execution never started."""
    bomb = fragment_bomb(30, "me { partner { id } }")

    result = gql(bomb, as_=anonymous())

    assert len(bomb) < 1_500
    assert result.status == 400
    assert result.body == {
        "errors": [
            {
                "message": "The document selects 3221225472 fields (fragments expanded), more than the maximum of 1000.",
                "extensions": {"code": "TOO_MANY_FIELDS", "fields": 3 * 2**30, "maxFields": 1000},
            }
        ]
    }


def test_a_fragment_bomb_of_mutations_writes_nothing(gql, dashboard, gql_installation):
    bomb = fragment_bomb(25, create_partner("created", 1), on="Mutation")

    result = gql(bomb, as_=dashboard("MANAGE_USERS"))

    assert (result.status, result.error_codes) == (400, ["TOO_MANY_FIELDS"])
    assert not Partner.objects.exists()


def test_too_many_aliases_are_refused_before_they_run(gql, dashboard, gql_installation, settings):
    merchant = dashboard("MANAGE_USERS")
    settings.GRAPHQL_MAX_FIELDS = 10

    fits = gql("mutation { " + " ".join(create_partner(f"a{i}", i) for i in range(3)) + " }", as_=merchant)
    too_many = gql("mutation { " + " ".join(create_partner(f"b{i}", 100 + i) for i in range(4)) + " }", as_=merchant)

    assert fits.status == 200
    assert Partner.objects.count() == 3  # what every alias does when it runs
    assert too_many.status == 400
    assert too_many.errors[0]["extensions"] == {"code": "TOO_MANY_FIELDS", "fields": 12, "maxFields": 10}
    assert Partner.objects.count() == 3


def test_fifty_thousand_aliases_or_operations_are_refused_unparsed(gql, dashboard, gql_installation, settings):
    merchant = dashboard("MANAGE_USERS")
    aliases = "mutation { " + " ".join(create_partner(f"a{i}", i) for i in range(50_000)) + " }"
    operations = " ".join(f"mutation M{i} {{ {create_partner('created', i)} }}" for i in range(50_000))

    large_aliases = gql(aliases, as_=merchant)
    large_operations = gql(operations, as_=merchant)
    settings.GRAPHQL_MAX_DOCUMENT_BYTES = 10**8
    many_tokens = gql(aliases, as_=merchant)

    assert large_aliases.status == large_operations.status == many_tokens.status == 400
    assert large_aliases.body == {
        "errors": [
            {
                "message": "The document is larger than the maximum of 100000 bytes.",
                "extensions": {"code": "DOCUMENT_TOO_LARGE", "maxBytes": 100_000},
            }
        ]
    }
    assert large_operations.error_codes == ["DOCUMENT_TOO_LARGE"]
    assert many_tokens.body == {
        "errors": [
            {
                "message": "The document has more than the maximum of 5000 tokens.",
                "extensions": {"code": "TOO_MANY_TOKENS", "maxTokens": 5000},
            }
        ]
    }
    assert not Partner.objects.exists()


def test_too_many_operations(gql, dashboard, gql_installation):
    operations = " ".join(f"mutation M{i} {{ {create_partner('created', i)} }}" for i in range(21))

    result = gql(operations, as_=dashboard("MANAGE_USERS"), operation_name="M0")

    assert result.status == 400
    assert result.errors[0]["extensions"] == {"code": "TOO_MANY_OPERATIONS", "operations": 21, "maxOperations": 20}
    assert not Partner.objects.exists()


def test_document_limits_come_from_settings(gql, anonymous, settings):
    document = "query A { me { partner { id } } } query B { me { partner { id } } }"

    allowed = gql(document, as_=anonymous(), operation_name="A")
    settings.GRAPHQL_MAX_OPERATIONS = 1
    one_operation = gql(document, as_=anonymous(), operation_name="A")
    settings.GRAPHQL_MAX_OPERATIONS, settings.GRAPHQL_MAX_TOKENS = 20, 10
    ten_tokens = gql(document, as_=anonymous(), operation_name="A")
    settings.GRAPHQL_MAX_TOKENS, settings.GRAPHQL_MAX_DOCUMENT_BYTES = 5000, 60
    sixty_bytes = gql(document, as_=anonymous(), operation_name="A")

    # The same text is parsed and checked once per process and limits, not once for all.
    assert (allowed.status, allowed.body) == (200, {"data": {"me": None}})
    assert one_operation.error_codes == ["TOO_MANY_OPERATIONS"]
    assert ten_tokens.error_codes == ["TOO_MANY_TOKENS"]
    assert sixty_bytes.error_codes == ["DOCUMENT_TOO_LARGE"]


def test_a_document_of_many_tokens_is_refused_while_lexing(gql, anonymous):
    result = gql("{" + " __typename" * 5_001 + " }", as_=anonymous())

    assert (result.status, result.error_codes) == (400, ["TOO_MANY_TOKENS"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"query": 5}', "`query` must be a string: the GraphQL document."),
        ('{"query": ["{ me { partner { id } } }"]}', "`query` must be a string: the GraphQL document."),
        ('{"query": "{ me { partner { id } } }", "operationName": 5}', "`operationName` must be a string."),
        ('{"query": "{ me { partner { id } } }", "variables": [1]}', "`variables` must be a JSON object."),
        ('{"query": "{ me { partner { id } } }", "variables": "{}"}', "`variables` must be a JSON object."),
        ("5", "Send one operation as a JSON object; batches are not supported."),
        ('"{ me { partner { id } } }"', "Send one operation as a JSON object; batches are not supported."),
        ("null", "Send one operation as a JSON object; batches are not supported."),
        ("{", "The body is not valid JSON."),
        (b"\xff\xfe{", "The body is not valid JSON."),
        ("[" * 100_000, "The body is not valid JSON."),
        ('{"query": "{ me { id } }", "variables": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}", "The body is not valid JSON."),
    ],
)
def test_bad_bodies_are_400_with_a_message(client, anonymous, body, message):
    response = client.post("/graphql/", data=body, content_type="application/json", **anonymous().headers)

    assert (response.status_code, response.json()) == (400, {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})


@pytest.mark.parametrize(
    ("variables", "message"),
    [("[1]", "`variables` must be a JSON object."), ("[" * 100_000, "`variables` is not valid JSON.")],
)
def test_bad_variables_in_a_get_are_400(client, anonymous, variables, message):
    response = client.get("/graphql/", {"query": "{ me { partner { id } } }", "variables": variables}, **anonymous().headers)

    assert (response.status_code, response.json()) == (400, {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})
