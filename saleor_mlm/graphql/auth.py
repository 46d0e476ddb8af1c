"""Who is asking: the requestor of a GraphQL request.

Three kinds of credentials reach the API, each tied to one installation (one Saleor):

- A storefront user's Saleor access token (JWT, RS256, `type: access`), verified offline
  against the installation's stored JWKS: signature, `exp`, `type`, `iss` equal to the
  installation's API URL. Revocation in Saleor shows only in `tokenVerify`; the token's
  five minutes of life bound the window.
- The Dashboard's app token for this app (`type: thirdparty`, `app` equal to our app id);
  its `permissions` claim is the intersection of the app's and the staff user's
  permissions, and that is what the requestor may do here.
- An API key of the installation (`mlm_...`, see `api_keys.py`): the merchant with every
  MLM permission.

Headers: `Authorization: Bearer <token>`, or app-sdk's `authorization-bearer: <token>`;
`saleor-api-url` names the installation when no token does (anonymous storefront calls).
Without credentials the requestor is anonymous. Bad credentials are an error, never a
silent downgrade to anonymous: a storefront must learn that its token expired.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

import jwt

from saleor_mlm.core.rows import instances
from saleor_mlm.installations.jwks import refresh_jwks_throttled
from saleor_mlm.installations.models import Installation, normalize_api_url

from .api_keys import authenticate_api_key, looks_like_api_key
from .core.permissions import ALL_PERMISSIONS

ACCESS_TOKEN_TYPE = "access"
THIRDPARTY_TOKEN_TYPE = "thirdparty"


class RequestorKind:
    ANONYMOUS = "anonymous"  # no credentials
    STOREFRONT_USER = "storefront_user"  # a Saleor user (customer or partner) with an access token
    DASHBOARD_USER = "dashboard_user"  # a staff user in the Dashboard, through the app token
    API_KEY = "api_key"  # a merchant's back-office script

    CHOICES = [
        (ANONYMOUS, "Anonymous"),
        (STOREFRONT_USER, "Storefront user"),
        (DASHBOARD_USER, "Dashboard user"),
        (API_KEY, "API key"),
    ]


@dataclass(frozen=True)
class Requestor:
    kind: str
    installation: Installation | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)
    user_id: str = ""  # Saleor's global id of the user (`VXNlcjox`), for user tokens
    email: str = ""
    api_key_name: str = ""

    @property
    def is_user(self) -> bool:
        """A logged-in Saleor user (storefront or Dashboard): `me` works for them."""
        return self.kind in (RequestorKind.STOREFRONT_USER, RequestorKind.DASHBOARD_USER) and bool(self.user_id)

    def has_permissions(self, permissions) -> bool:
        return all(permission in self.permissions for permission in permissions)

    @property
    def label(self) -> str:
        """Who did it, for audit fields (`changed_by`, `set_by`): a person's e-mail, or
        the API key's name."""
        if self.kind == RequestorKind.API_KEY:
            return f"api-key:{self.api_key_name}"
        return self.email or self.user_id or "anonymous"


ANONYMOUS = Requestor(kind=RequestorKind.ANONYMOUS)


class AuthenticationFailed(Exception):
    """Credentials were sent but do not hold; answered with HTTP 401."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def get_bearer_token(request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("Authorization-Bearer", "").strip()


def resolve_requestor(request) -> Requestor:
    token = get_bearer_token(request)
    header_api_url = normalize_api_url(request.headers.get("Saleor-Api-Url", ""))
    if not token:
        installation = installation_for_api_url(header_api_url) if header_api_url else None
        return Requestor(kind=RequestorKind.ANONYMOUS, installation=installation)
    if looks_like_api_key(token):
        return _requestor_for_api_key(token, header_api_url)
    return _requestor_for_jwt(token, header_api_url)


def _requestor_for_api_key(token: str, header_api_url: str) -> Requestor:
    api_key = authenticate_api_key(token)
    if api_key is None:
        raise AuthenticationFailed("INVALID_API_KEY", "The API key is unknown or revoked.")
    if header_api_url and header_api_url != api_key.installation.saleor_api_url:
        raise AuthenticationFailed("API_URL_MISMATCH", "The API key belongs to another Saleor than saleor-api-url.")
    return Requestor(
        kind=RequestorKind.API_KEY,
        installation=api_key.installation,
        permissions=ALL_PERMISSIONS,
        api_key_name=api_key.name,
    )


def _requestor_for_jwt(token: str, header_api_url: str) -> Requestor:
    try:
        unverified_header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AuthenticationFailed("INVALID_TOKEN", "The token is neither a Saleor JWT nor an API key.") from None
    issuer = normalize_api_url(str(unverified.get("iss") or ""))
    if issuer and header_api_url and issuer != header_api_url:
        raise AuthenticationFailed("API_URL_MISMATCH", "The token's issuer is not the Saleor named by saleor-api-url.")
    api_url = issuer or header_api_url
    installation = installation_for_api_url(api_url) if api_url else None
    if installation is None:
        raise AuthenticationFailed("UNKNOWN_INSTALLATION", "The token was issued by a Saleor that has not installed this app.")

    key = _signing_key(installation, unverified_header.get("kid"))
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            options={"require": ["exp", "iss"], "verify_aud": False},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationFailed("EXPIRED_TOKEN", "The token has expired; refresh it in Saleor.") from None
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed("INVALID_TOKEN", f"The token is not valid: {exc}.") from None
    if normalize_api_url(str(claims["iss"])) != installation.saleor_api_url:
        raise AuthenticationFailed("INVALID_TOKEN", "The token's issuer is not the installation's API URL.")

    token_type = claims.get("type")
    if token_type == ACCESS_TOKEN_TYPE:
        return Requestor(
            kind=RequestorKind.STOREFRONT_USER,
            installation=installation,
            user_id=str(claims.get("user_id") or ""),
            email=str(claims.get("email") or ""),
        )
    if token_type == THIRDPARTY_TOKEN_TYPE:
        if not installation.app_id or claims.get("app") != installation.app_id:
            raise AuthenticationFailed("WRONG_APP", "The Dashboard token was issued for another app.")
        granted = frozenset(str(p) for p in claims.get("permissions") or [])
        return Requestor(
            kind=RequestorKind.DASHBOARD_USER,
            installation=installation,
            permissions=granted & ALL_PERMISSIONS,
            user_id=str(claims.get("user_id") or ""),
            email=str(claims.get("email") or ""),
        )
    raise AuthenticationFailed("INVALID_TOKEN", f"Tokens of type {token_type!r} are not accepted; send an access token.")


def installation_for_api_url(api_url: str) -> Installation | None:
    """The installation of a Saleor (one query on every request: a plain cursor, see
    `core.rows`)."""
    found = instances(Installation, "saleor_api_url = %s", [normalize_api_url(api_url)], suffix=" ORDER BY id LIMIT 1")
    return found[0] if found else None


def _signing_key(installation: Installation, kid: str | None):
    key = _find_key(installation.jwks, kid)
    if key is None and kid is not None:
        # Saleor may have rotated its key; the refetch is throttled per installation.
        key = _find_key(refresh_jwks_throttled(installation), kid)
    if key is None:
        raise AuthenticationFailed("INVALID_TOKEN", "The token was signed with a key this Saleor does not publish.")
    return key


@lru_cache(maxsize=64)
def _rsa_keys(jwks_json: str) -> tuple:
    """The RSA keys of a JWKS (parsed once per process and key set: building a key object
    from its JWK costs more than checking a signature with it)."""
    try:
        return tuple(k for k in jwt.PyJWKSet.from_dict(json.loads(jwks_json)).keys if k.key_type == "RSA")
    except jwt.PyJWTError:
        return ()


def _find_key(jwks: dict, kid: str | None):
    keys = list(_rsa_keys(json.dumps(jwks or {}, sort_keys=True)))
    if kid is not None:
        keys = [k for k in keys if k.key_id == kid]
    elif len(keys) != 1:
        return None  # no kid and several keys: ambiguous
    return keys[0].key if keys else None
