"""Who is asking: Saleor access tokens, Dashboard app tokens, API keys, anonymous."""

import datetime

import jwt
import pytest
from django.test import RequestFactory
from django.utils import timezone

from saleor_mlm.graphql.api_keys import create_api_key, hash_key, revoke_api_key
from saleor_mlm.graphql.auth import AuthenticationFailed, Requestor, RequestorKind, resolve_requestor
from saleor_mlm.graphql.models import ApiKey
from tests.fixtures.graphql import STOREFRONT_USER_ID

PARTNERS_COUNT = "{ partners { totalCount } }"
ME = "{ me { partner { referralCode } customer { email } } }"


def requestor_for(**headers) -> Requestor:
    return resolve_requestor(RequestFactory().post("/graphql/", **headers))


def failure_for(**headers) -> AuthenticationFailed:
    with pytest.raises(AuthenticationFailed) as failure:
        requestor_for(**headers)
    return failure.value


def test_valid_storefront_access_token(tokens, gql_installation):
    requestor = requestor_for(HTTP_AUTHORIZATION=f"Bearer {tokens.access()}")

    assert requestor == Requestor(
        kind=RequestorKind.STOREFRONT_USER,
        installation=gql_installation,
        user_id=STOREFRONT_USER_ID,
        email="kim@example.com",
    )
    assert requestor.permissions == frozenset()
    assert requestor.label == "kim@example.com"


def test_storefront_token_in_app_sdk_header(tokens, gql_installation):
    requestor = requestor_for(HTTP_AUTHORIZATION_BEARER=tokens.access(), HTTP_SALEOR_API_URL=gql_installation.saleor_api_url)

    assert requestor.kind == RequestorKind.STOREFRONT_USER


def test_expired_token(tokens):
    past = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=10)
    token = tokens.encode(tokens.claims("access", iat=past, exp=past + datetime.timedelta(minutes=5)))

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert (failure.code, failure.message) == ("EXPIRED_TOKEN", "The token has expired; refresh it in Saleor.")


def test_token_without_expiry_is_refused(tokens):
    token = tokens.encode(tokens.claims("access", exp=None))

    assert failure_for(HTTP_AUTHORIZATION=f"Bearer {token}").code == "INVALID_TOKEN"


def test_token_of_a_saleor_that_did_not_install_the_app(tokens):
    token = tokens.access(iss="https://other-shop.example.com/graphql/")

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert failure.code == "UNKNOWN_INSTALLATION"


def test_issuer_of_another_installation_signed_with_its_key(tokens, installation_factory, rsa_signers):
    """A token from shop B (signed by B's key) is not a token of shop A: the issuer decides
    which keys verify it, and B's key does not verify a token that claims A."""
    other = installation_factory(saleor_api_url="https://other-shop.example.com/graphql/", jwks=rsa_signers[1].jwks())
    claims = tokens.claims("access")  # iss: shop A
    token = tokens.encode(claims, key=rsa_signers[1].private_key, kid=rsa_signers[1].kid)

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_SALEOR_API_URL=other.saleor_api_url)

    assert failure.code == "API_URL_MISMATCH"
    assert failure_for(HTTP_AUTHORIZATION=f"Bearer {token}").code == "INVALID_TOKEN"


def test_wrong_type_is_refused(tokens):
    token = tokens.encode(tokens.claims("refresh"))

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert (failure.code, failure.message) == ("INVALID_TOKEN", "Tokens of type 'refresh' are not accepted; send an access token.")


def test_wrong_signature_is_refused(tokens, rsa_signers, monkeypatch):
    # Same kid as the published key, signed by another key: a forgery.
    token = tokens.encode(tokens.claims("access"), key=rsa_signers[2].private_key, kid=rsa_signers[0].kid)

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert (failure.code, failure.message) == ("INVALID_TOKEN", "The token is not valid: Signature verification failed.")


def test_hs256_token_is_refused(tokens):
    """Algorithm confusion: a token signed with HMAC must never verify."""
    token = jwt.encode(tokens.claims("access"), "a-shared-secret-of-at-least-32-bytes", algorithm="HS256", headers={"kid": tokens.signer.kid})

    assert failure_for(HTTP_AUTHORIZATION=f"Bearer {token}").code == "INVALID_TOKEN"


def test_unknown_kid_refetches_the_jwks_once(tokens, rsa_signers, gql_installation, monkeypatch):
    """Saleor rotated its key: the JWKS is fetched again (throttled), then the token verifies."""
    calls = []

    def refetch(installation):
        calls.append(installation.pk)
        installation.jwks = {"keys": [rsa_signers[0].jwk, rsa_signers[1].jwk]}
        return installation.jwks

    monkeypatch.setattr("saleor_mlm.graphql.auth.refresh_jwks_throttled", refetch)
    token = tokens.encode(tokens.claims("access"), key=rsa_signers[1].private_key, kid=rsa_signers[1].kid)

    requestor = requestor_for(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert requestor.kind == RequestorKind.STOREFRONT_USER
    assert calls == [gql_installation.pk]


def test_not_a_jwt(gql_installation):
    failure = failure_for(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert (failure.code, failure.message) == ("INVALID_TOKEN", "The token is neither a Saleor JWT nor an API key.")


def test_dashboard_token_with_permissions(tokens, gql_installation):
    token = tokens.thirdparty(["MANAGE_USERS", "MANAGE_PRODUCTS"])

    requestor = requestor_for(HTTP_AUTHORIZATION_BEARER=token, HTTP_SALEOR_API_URL=gql_installation.saleor_api_url)

    assert requestor == Requestor(
        kind=RequestorKind.DASHBOARD_USER,
        installation=gql_installation,
        permissions=frozenset({"MANAGE_USERS"}),
        user_id="VXNlcjox",
        email="staff@example.com",
    )


def test_dashboard_token_of_another_app_is_refused(tokens):
    token = tokens.thirdparty(["MANAGE_USERS"], app="QXBwOjk5")

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert (failure.code, failure.message) == ("WRONG_APP", "The Dashboard token was issued for another app.")


def test_api_key(api_key, gql_installation):
    _, raw_key = create_api_key(gql_installation, "ERP export")

    requestor = requestor_for(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    assert requestor == Requestor(
        kind=RequestorKind.API_KEY,
        installation=gql_installation,
        permissions=frozenset({"MANAGE_USERS", "MANAGE_ORDERS"}),
        api_key_name="ERP export",
    )
    assert requestor.label == "api-key:ERP export"
    stored = ApiKey.objects.get()
    assert stored.hashed_key == hash_key(raw_key) and raw_key not in (stored.hashed_key, stored.prefix)
    assert stored.last_used_at is not None


def test_revoked_api_key(gql_installation):
    key, raw_key = create_api_key(gql_installation, "old script")
    revoke_api_key(key)

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    assert (failure.code, failure.message) == ("INVALID_API_KEY", "The API key is unknown or revoked.")


def test_api_key_with_the_url_of_another_saleor(gql_installation, installation_factory):
    other = installation_factory()
    _, raw_key = create_api_key(gql_installation, "ERP export")

    failure = failure_for(HTTP_AUTHORIZATION=f"Bearer {raw_key}", HTTP_SALEOR_API_URL=other.saleor_api_url)

    assert failure.code == "API_URL_MISMATCH"


def test_last_used_is_written_at_most_once_a_minute(gql_installation):
    key, raw_key = create_api_key(gql_installation, "poller")
    requestor_for(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    first_use = ApiKey.objects.get(pk=key.pk).last_used_at

    requestor_for(HTTP_AUTHORIZATION=f"Bearer {raw_key}")

    assert ApiKey.objects.get(pk=key.pk).last_used_at == first_use
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    requestor_for(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
    assert ApiKey.objects.get(pk=key.pk).last_used_at > first_use


def test_anonymous_with_and_without_the_shop_header(gql_installation):
    assert requestor_for(HTTP_SALEOR_API_URL="https://mlm-shop.example.com/graphql") == Requestor(
        kind=RequestorKind.ANONYMOUS, installation=gql_installation
    )
    assert requestor_for() == Requestor(kind=RequestorKind.ANONYMOUS)
    assert requestor_for(HTTP_SALEOR_API_URL="https://unknown.example.com/graphql/").installation is None


# --- over HTTP -------------------------------------------------------------------------


def test_bad_credentials_answer_401_with_a_code(gql, tokens):
    past = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(hours=1)
    token = tokens.encode(tokens.claims("access", iat=past, exp=past + datetime.timedelta(minutes=5)))

    result = gql(ME, headers={"HTTP_AUTHORIZATION": f"Bearer {token}"})

    assert result.status == 401
    assert result.body == {"errors": [{"message": "The token has expired; refresh it in Saleor.", "extensions": {"code": "EXPIRED_TOKEN"}}]}


def test_dashboard_with_and_without_manage_users(gql, dashboard, partner_factory, gql_installation):
    partner_factory(installation=gql_installation)

    allowed = gql(PARTNERS_COUNT, as_=dashboard("MANAGE_USERS"))
    denied = gql(PARTNERS_COUNT, as_=dashboard("MANAGE_ORDERS"))

    assert allowed.body == {"data": {"partners": {"totalCount": 1}}}
    assert denied.status == 200
    assert denied.data == {"partners": None}
    assert denied.errors[0]["message"] == "You need the following permissions: MANAGE_USERS."
    assert denied.errors[0]["extensions"] == {"code": "PERMISSION_DENIED", "permissions": ["MANAGE_USERS"]}


def test_api_key_over_http(gql, api_key, partner_factory, gql_installation):
    partner_factory(installation=gql_installation)

    assert gql(PARTNERS_COUNT, as_=api_key()).body == {"data": {"partners": {"totalCount": 1}}}


def test_me_is_null_for_anonymous_and_api_keys(gql, anonymous, api_key):
    assert gql(ME, as_=anonymous()).body == {"data": {"me": None}}
    assert gql(ME, as_=api_key()).body == {"data": {"me": None}}


def test_data_of_another_installation_is_invisible(gql, dashboard, partner_factory, installation_factory):
    other = installation_factory()
    partner_factory(installation=other)

    assert gql(PARTNERS_COUNT, as_=dashboard("MANAGE_USERS")).data == {"partners": {"totalCount": 0}}
