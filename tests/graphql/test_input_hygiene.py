"""Strings clients send (issue 13, item 8): a NUL character in any string argument, at any
depth, is a validation error naming the field, never an internal error; a string longer
than the column it is stored in is refused with the limit, never cut or left to the
database. Checked once for every field (`graphql/core/string_inputs.py`)."""

from graphql_relay import to_global_id

from saleor_mlm.network.models import Partner
from saleor_mlm.plans.models import PlanVersion
from tests.fixtures.graphql import STOREFRONT_USER_ID

NUL_MESSAGE = "Null characters are not allowed."

REFERRAL_CODE_VALIDATE = """
mutation Validate($code: String!) {
  referralCodeValidate(code: $code) { valid sponsorName errors { field code message } }
}
"""

PARTNER_CREATE = """
mutation Create($input: PartnerCreateInput!) {
  partnerCreate(input: $input) { errors { field code message } partner { firstName lastName } }
}
"""

PARTNER_UPDATE = """
mutation Update($id: ID!, $input: PartnerUpdateInput!) {
  partnerUpdate(id: $id, input: $input) { errors { field code message } partner { lastName } }
}
"""

PARTNER_ENROLL = """
mutation Enroll($input: PartnerEnrollInput!) {
  partnerEnroll(input: $input) { errors { field code message } partner { firstName } }
}
"""

PLAN_VERSION_CREATE = """
mutation Create($input: PlanVersionInput!) {
  planVersionCreate(input: $input) { errors { field code message } planVersion { name } }
}
"""


def nul_error(field: str) -> dict:
    return {"field": field, "code": "NULL_CHARACTERS_NOT_ALLOWED", "message": NUL_MESSAGE}


def too_long(field: str, limit: int, length: int) -> dict:
    return {"field": field, "code": "MAX_LENGTH", "message": f"Ensure this value has at most {limit} characters (it has {length})."}


# --- NUL characters ----------------------------------------------------------------------


def test_nul_in_a_mutation_argument(gql, anonymous, sample_network):
    result = gql(REFERRAL_CODE_VALIDATE, {"code": "ANNA1\x00"}, as_=anonymous())

    assert result.status == 200
    assert result.data["referralCodeValidate"] == {"valid": False, "sponsorName": None, "errors": [nul_error("code")]}


def test_nul_in_an_input_object_writes_nothing(gql, dashboard, anonymous, gql_installation):
    """Typed errors for every field with a NUL; permissions are checked first."""
    data = {"input": {"email": "kim@example.com", "firstName": "Kim\x00", "lastName": "Lee", "referralCode": "K\x00M1"}}

    result = gql(PARTNER_CREATE, data, as_=dashboard("MANAGE_USERS"))
    denied = gql(PARTNER_CREATE, data, as_=anonymous())

    assert result.data["partnerCreate"] == {"errors": [nul_error("firstName"), nul_error("referralCode")], "partner": None}
    assert denied.error_codes == ["PERMISSION_DENIED"]
    assert not Partner.objects.exists()


def test_nul_in_a_literal_and_inside_a_json_value(gql, dashboard, gql_installation):
    """A JSON value's keys and strings are values of its input field: the error names the field."""
    literal = gql(
        'mutation { partnerCreate(input: {email: "kim@example.com", lastName: "L\\u0000"}) { errors { field code message } } }',
        as_=dashboard("MANAGE_USERS"),
    )
    in_json = gql(
        PLAN_VERSION_CREATE,
        {"input": {"name": "Plan", "document": {"ranks": [{"code": "a\x00", "name": {"de\x00": "A"}}]}}},
        as_=dashboard("MANAGE_ORDERS"),
    )

    assert literal.data["partnerCreate"]["errors"] == [nul_error("lastName")]
    assert in_json.data["planVersionCreate"] == {"errors": [nul_error("document"), nul_error("document")], "planVersion": None}
    assert not PlanVersion.objects.exists()


def test_nul_in_query_arguments(gql, dashboard, sample_network):
    merchant = dashboard("MANAGE_USERS")
    anna = to_global_id("Partner", sample_network["anna"].pk)

    search = gql("query($s: String) { partners(search: $s) { totalCount } }", {"s": "an\x00na"}, as_=merchant)
    nested_input = gql('{ partners(filter: {country: "D\\u0000E"}) { totalCount } }', as_=merchant)
    by_code = gql('{ partner(referralCode: "ANNA1\\u0000") { id } }', as_=merchant)
    nested_field = gql(
        "query($id: ID!, $s: String) { partner(id: $id) { referralCode customers(search: $s) { totalCount } } }",
        {"id": anna, "s": "\x00"},
        as_=merchant,
    )

    assert search.errors == [
        {
            "message": NUL_MESSAGE,
            "locations": [{"line": 1, "column": 21}],
            "path": ["partners"],
            "extensions": {"code": "INVALID_ARGUMENT", "argument": "search"},
        }
    ]
    assert [error["extensions"] for error in nested_input.errors] == [{"code": "INVALID_ARGUMENT", "argument": "filter.country"}]
    assert [error["extensions"] for error in by_code.errors] == [{"code": "INVALID_ARGUMENT", "argument": "referralCode"}]
    assert nested_field.data == {"partner": {"referralCode": "ANNA1", "customers": None}}
    assert [error["extensions"] for error in nested_field.errors] == [{"code": "INVALID_ARGUMENT", "argument": "search"}]


# --- lengths -------------------------------------------------------------------------------


def test_names_longer_than_their_column_are_refused_not_cut(gql, dashboard, gql_installation):
    merchant = dashboard("MANAGE_USERS")

    too_long_name = gql(PARTNER_CREATE, {"input": {"email": "kim@example.com", "firstName": "K" * 151}}, as_=merchant)
    longest = gql(PARTNER_CREATE, {"input": {"email": "kim@example.com", "firstName": "K" * 150, "lastName": f"  {'L' * 150}  "}}, as_=merchant)

    assert too_long_name.data["partnerCreate"] == {"errors": [too_long("firstName", 150, 151)], "partner": None}
    assert longest.data["partnerCreate"] == {"errors": [], "partner": {"firstName": "K" * 150, "lastName": "L" * 150}}
    assert Partner.objects.get().first_name == "K" * 150


def test_columns_the_domain_does_not_check_are_refused_with_their_limit(gql, dashboard, gql_installation):
    """Before: a 255-character e-mail (valid by its form) or Saleor user id reached the
    database and ended as an internal error."""
    email = f"{'k' * 63}@{'e' * 63}.{'x' * 63}.{'y' * 63}.com"  # 259 characters, a valid address

    result = gql(PARTNER_CREATE, {"input": {"email": email, "saleorUserId": "U" * 256, "language": "de-abcdefgh"}}, as_=dashboard("MANAGE_USERS"))

    assert result.data["partnerCreate"]["errors"] == [
        too_long("email", 254, 259),
        too_long("saleorUserId", 255, 256),
        too_long("language", 8, 11),
    ]
    assert not Partner.objects.exists()


def test_every_partner_mutation_checks_lengths(gql, dashboard, storefront, sample_network):
    anna = sample_network["anna"]

    update = gql(
        PARTNER_UPDATE,
        {"id": to_global_id("Partner", anna.pk), "input": {"lastName": "L" * 151, "reason": "r" * 10_000}},
        as_=dashboard("MANAGE_USERS"),
    )
    enroll = gql(PARTNER_ENROLL, {"input": {"sponsorReferralCode": "ANNA1", "firstName": "K" * 151}}, as_=storefront(STOREFRONT_USER_ID))

    assert update.data["partnerUpdate"] == {"errors": [too_long("lastName", 150, 151)], "partner": None}
    anna.refresh_from_db()
    assert anna.last_name != "L" * 150
    assert enroll.data["partnerEnroll"] == {"errors": [too_long("firstName", 150, 151)], "partner": None}
    assert not Partner.objects.filter(saleor_user_id=STOREFRONT_USER_ID).exists()


def test_plan_names_longer_than_their_column(gql, dashboard, gql_installation):
    result = gql(PLAN_VERSION_CREATE, {"input": {"name": "P" * 256, "documentText": "{}"}}, as_=dashboard("MANAGE_ORDERS"))

    assert result.data["planVersionCreate"] == {"errors": [too_long("name", 255, 256)], "planVersion": None}
    assert not PlanVersion.objects.exists()
