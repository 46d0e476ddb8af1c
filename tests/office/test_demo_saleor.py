"""The demo's stand-in for the shop's Saleor (saleor_mlm/office/demo_saleor.py): Saleor's schema,
Saleor's answers to accountRegister, tokenCreate and tokenRefresh, tokens the API takes, and a
visitor who registers as a partner in the demo without a real Saleor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import build_ast_schema, parse, validate

from saleor_mlm.office.demo_saleor import SCHEMA as STAND_IN
from saleor_mlm.registration.terms import publish_terms

ROOT = Path(__file__).resolve().parents[2]
ENDPOINT = "/office/demo-saleor/graphql/"
REGISTER = """mutation($input: AccountRegisterInput!) { accountRegister(input: $input) { requiresConfirmation user { id email } errors { field code message } } }"""
TOKEN = """mutation($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) {
  token refreshToken user { id email } errors { field code message } } }"""
REFRESH = """mutation($refreshToken: String) { tokenRefresh(refreshToken: $refreshToken) { token errors { field code message } } }"""


def saleor_schema():
    sdl = (ROOT / "tests/federation/saleor/schema.graphql").read_text(encoding="utf-8")
    return build_ast_schema(parse(sdl + "\ndirective @key(fields: String!) repeatable on OBJECT | INTERFACE\n"), assume_valid_sdl=True)


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path / "var"
    monkeypatch.setenv("SALEOR_MLM_DEMO", "1")
    from saleor_mlm.installations.demo import ensure_demo_installation

    installation, _ = ensure_demo_installation()
    return installation


def saleor(client, query, **variables):
    response = client.post(ENDPOINT, {"query": query, "variables": variables}, content_type="application/json")
    assert response.status_code == 200
    return response.json()


def test_the_stand_ins_schema_is_an_excerpt_of_saleors():
    real = saleor_schema()
    for name, type_ in STAND_IN.type_map.items():
        if name.startswith("__") or name in ("String", "Boolean", "ID", "Int", "Float"):
            continue
        original = real.type_map[name]
        assert type(original) is type(type_), name
        if hasattr(type_, "values"):
            assert set(type_.values) <= set(original.values), name
            continue
        for field_name, field in type_.fields.items():
            twin = original.fields[field_name]
            assert str(field.type) == str(twin.type), f"{name}.{field_name}"
            for argument, value in getattr(field, "args", {}).items():
                assert str(value.type) == str(twin.args[argument].type), f"{name}.{field_name}({argument})"


def test_the_offices_saleor_documents_are_valid_for_saleor():
    """What the office sends to Saleor (sign-in, refresh, a new account) passes Saleor's own schema."""
    source = (ROOT / "office/src/app/session.ts").read_text(encoding="utf-8")
    documents = re.findall(r"`((?:mutation|query) Office\w+[^`]*)`", source)
    real = saleor_schema()

    assert {re.match(r"\w+ (\w+)", document).group(1) for document in documents} >= {"OfficeTokenCreate", "OfficeTokenRefresh", "OfficeAccountRegister"}
    for document in documents:
        assert validate(real, parse(document)) == [], document


@pytest.mark.django_db
def test_a_visitor_creates_a_shop_account_and_registers_as_a_partner_in_the_demo(client, demo, partner_factory):
    sponsor = partner_factory(None, installation=demo, first_name="Lena", last_name="Maier", referral_code="LENA1")
    publish_terms(demo.pk, {"en": "Terms"}, published_by="demo@saleor-mlm.local")

    created = saleor(client, REGISTER, input={"email": "neu@example.com", "password": "Sonnenblume-42", "firstName": "Nina", "languageCode": "DE"})
    signed_in = saleor(client, TOKEN, email="neu@example.com", password="Sonnenblume-42")["data"]["tokenCreate"]
    registered = client.post(
        "/graphql/",
        {
            "query": "mutation($input: PartnerRegisterInput!) { partnerRegister(input: $input) { errors { code } partner { email sponsor { displayName } } } }",
            "variables": {
                "input": {
                    "sponsorReferralCode": "lena1", "firstName": "Nina", "legalName": "Nina Neu", "street": "Weg 1", "postalCode": "10115",
                    "city": "Berlin", "country": "DE", "taxStatus": "PRIVATE", "termsVersion": 1, "acceptTerms": True,
                }
            },
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {signed_in['token']}"},
    ).json()  # fmt: skip

    assert created["data"]["accountRegister"] == {"requiresConfirmation": False, "user": {"id": "", "email": "neu@example.com"}, "errors": []}
    assert signed_in["errors"] == [] and signed_in["user"]["email"] == "neu@example.com"
    assert registered["data"]["partnerRegister"] == {"errors": [], "partner": {"email": "neu@example.com", "sponsor": {"displayName": sponsor.display_name}}}


@pytest.mark.django_db
def test_refusals_as_saleor_answers_them(client, demo):
    saleor(client, REGISTER, input={"email": "neu@example.com", "password": "Sonnenblume-42"})

    wrong = saleor(client, TOKEN, email="neu@example.com", password="falsch-falsch")["data"]["tokenCreate"]
    unknown = saleor(client, TOKEN, email="niemand@example.com", password="Sonnenblume-42")["data"]["tokenCreate"]
    short = saleor(client, REGISTER, input={"email": "b@example.com", "password": "kurz"})["data"]["accountRegister"]
    numeric = saleor(client, REGISTER, input={"email": "c@example.com", "password": "8346591027"})["data"]["accountRegister"]
    common = saleor(client, REGISTER, input={"email": "d@example.com", "password": "password"})["data"]["accountRegister"]
    bad_email = saleor(client, REGISTER, input={"email": "kein-email", "password": "Sonnenblume-42"})["data"]["accountRegister"]
    # An e-mail with an account already: the same answer, the old password stays.
    again = saleor(client, REGISTER, input={"email": "NEU@example.com", "password": "Anderes-Passwort-7"})["data"]["accountRegister"]
    old_password = saleor(client, TOKEN, email="neu@example.com", password="Sonnenblume-42")["data"]["tokenCreate"]
    new_password = saleor(client, TOKEN, email="neu@example.com", password="Anderes-Passwort-7")["data"]["tokenCreate"]

    invalid = [{"field": "email", "code": "INVALID_CREDENTIALS", "message": "Please, enter valid credentials"}]
    assert (wrong["token"], wrong["errors"]) == (None, invalid)
    assert unknown["errors"] == invalid
    assert [error["code"] for error in short["errors"]] == ["PASSWORD_TOO_SHORT"]
    assert [error["code"] for error in numeric["errors"]] == ["PASSWORD_ENTIRELY_NUMERIC"]
    assert "PASSWORD_TOO_COMMON" in [error["code"] for error in common["errors"]]
    assert {error["field"] for error in short["errors"] + numeric["errors"] + common["errors"]} == {"password"}
    assert [(error["field"], error["code"]) for error in bad_email["errors"]] == [("email", "INVALID")]
    assert again == {"requiresConfirmation": False, "user": {"id": "", "email": "NEU@example.com"}, "errors": []}
    assert old_password["errors"] == [] and new_password["errors"] == invalid


@pytest.mark.django_db
def test_refresh_and_what_saleor_would_refuse(client, demo):
    saleor(client, REGISTER, input={"email": "neu@example.com", "password": "Sonnenblume-42"})
    tokens = saleor(client, TOKEN, email="neu@example.com", password="Sonnenblume-42")["data"]["tokenCreate"]

    refreshed = saleor(client, REFRESH, refreshToken=tokens["refreshToken"])["data"]["tokenRefresh"]
    access_as_refresh = saleor(client, REFRESH, refreshToken=tokens["token"])["data"]["tokenRefresh"]
    garbage = saleor(client, REFRESH, refreshToken="nonsense")["data"]["tokenRefresh"]
    unknown_field = saleor(client, "mutation { tokenCreate(email: \"a@b.c\", password: \"x\") { nonsense } }")

    me = client.post("/graphql/", {"query": "{ me { partner { id } } }"}, content_type="application/json", headers={"Authorization": f"Bearer {refreshed['token']}"})
    assert refreshed["errors"] == [] and refreshed["token"]
    assert me.status_code == 200 and me.json()["data"] == {"me": {"partner": None}}
    assert access_as_refresh["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    assert garbage["errors"][0]["code"] == "JWT_INVALID_TOKEN"
    assert "Cannot query field 'nonsense'" in unknown_field["errors"][0]["message"]


@pytest.mark.django_db
def test_outside_the_demo_there_is_no_stand_in(client, settings, tmp_path, installation_factory):
    settings.DATA_DIR = tmp_path / "var"
    installation_factory()

    assert client.post(ENDPOINT, {"query": "{ me { id } }"}, content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_the_demos_config_names_the_stand_in(client, demo):
    config = client.get("/office/config.json").json()

    assert config["accountsUrl"] == ENDPOINT
    assert config["saleorApiUrl"] == demo.saleor_api_url
