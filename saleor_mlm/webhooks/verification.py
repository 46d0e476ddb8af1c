"""Checking `Saleor-Signature`: a detached JWS over the exact body bytes.

Saleor signs every webhook with RS256 and sends the compact JWS without its payload,
`<b64url(header)>..<b64url(signature)>`, with header `{"alg": "RS256", "b64": false,
"crit": ["b64"], "kid": ...}`. With `b64: false` (RFC 7797) the signing input is
`b64url(header) + "." + body`: the raw bytes as received, not re-encoded. So the body is
verified before it is parsed, and never after a round trip through `json`.

The key is picked from the installation's JWKS by `kid`. A `kid` the JWKS does not have is
reported as `UnknownKeyError`, so that the caller can fetch the JWKS once more (Saleor rotated
its key) and try again; any other failure is final.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from typing import Any

import jwt
from jwt.exceptions import DecodeError, PyJWTError

ALGORITHM = "RS256"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class SignatureError(Exception):
    """The delivery is not signed by the installation's Saleor."""


class MissingSignatureError(SignatureError):
    pass


class MalformedSignatureError(SignatureError):
    pass


class UnknownKeyError(SignatureError):
    """The signature names a key (`kid`) the stored JWKS does not have."""

    def __init__(self, kid: str | None):
        super().__init__(f"signing key {kid!r} is not in the installation's JWKS")
        self.kid = kid


class BadSignatureError(SignatureError):
    pass


def verify_detached(signature: str, body: bytes, jwks: dict[str, Any]) -> dict[str, Any]:
    """Verify `signature` over `body` with the matching key of `jwks`; return the JWS header.

    Raises a `SignatureError` subclass on any failure.
    """
    if not signature:
        raise MissingSignatureError("the Saleor-Signature header is missing")
    header = _header(signature)
    if header.get("alg") != ALGORITHM:
        raise MalformedSignatureError(f"signature algorithm {header.get('alg')!r} is not {ALGORITHM}")
    kid = header.get("kid")
    jwk = _find_key(jwks, kid)
    if jwk is None:
        raise UnknownKeyError(kid)
    try:
        key = _public_key(json.dumps(jwk, sort_keys=True))
    except (PyJWTError, ValueError, TypeError) as exc:
        raise MalformedSignatureError(f"JWKS key {kid!r} is unusable: {exc}") from exc
    try:
        _JWS.decode_complete(signature, key, algorithms=[ALGORITHM], detached_payload=body)
    except PyJWTError as exc:
        raise BadSignatureError(f"signature does not match the body: {exc}") from exc
    return header


def _header(signature: str) -> dict[str, Any]:
    """The JWS header, read only to pick the key: `jwt.api_jws.decode_complete` reads and
    checks the whole signature again when it verifies (reading it twice with PyJWT, which
    checks each character in Python, was a tenth of the intake's CPU)."""
    parts = signature.split(".")
    # Detached compact form: header, empty payload, signature.
    if len(parts) != 3 or parts[1] != "" or not parts[0] or not parts[2]:
        raise MalformedSignatureError("the signature is not a detached compact JWS (header..signature)")
    encoded = parts[0]
    if not _BASE64URL.fullmatch(encoded) or len(encoded) % 4 == 1:
        raise MalformedSignatureError("the signature header is unreadable: not base64url")
    try:
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except (ValueError, RecursionError) as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise MalformedSignatureError(f"the signature header is unreadable: {exc}") from exc
    if not isinstance(header, dict):
        raise MalformedSignatureError("the signature header is unreadable: not a JSON object")
    if "kid" in header and not isinstance(header["kid"], str):
        raise MalformedSignatureError("the signature header is unreadable: kid is not a string")
    return header


def _find_key(jwks: dict[str, Any], kid: str | None) -> dict[str, Any] | None:
    keys = [key for key in (jwks or {}).get("keys", []) if isinstance(key, dict)]
    if kid is None:
        # Without a kid only an unambiguous single key can be meant.
        return keys[0] if len(keys) == 1 else None
    return next((key for key in keys if key.get("kid") == kid), None)


@lru_cache(maxsize=64)
def _public_key(jwk_json: str):
    """Build (and keep) the key object: parsing a JWK costs more than verifying with it."""
    return jwt.PyJWK(json.loads(jwk_json), algorithm=ALGORITHM).key


_BASE64URL_BYTES = re.compile(rb"[A-Za-z0-9_-]*")


class _FastBase64JWS(jwt.api_jws.PyJWS):
    """PyJWT's JWS, whose check of each segment's characters (a Python generator over every
    byte of the ~350-character signature: a tenth of the intake's CPU) is done by a regular
    expression. A segment it does not pass as plain base64url (padding, other characters)
    goes to PyJWT's own check, so what is accepted and the errors are PyJWT's."""

    @staticmethod
    def _decode_base64url_segment(segment: bytes, name: str) -> bytes:
        if len(segment) % 4 == 1 or not _BASE64URL_BYTES.fullmatch(segment):
            return jwt.api_jws.PyJWS._decode_base64url_segment(segment, name)
        try:
            decoded = jwt.utils.base64url_decode(segment)
        except (TypeError, ValueError) as err:
            raise DecodeError(f"Invalid {name} padding") from err
        if jwt.utils.base64url_encode(decoded) != segment:  # not canonical (stray bits)
            raise DecodeError(f"Invalid {name} padding")
        return decoded


_JWS = _FastBase64JWS()
