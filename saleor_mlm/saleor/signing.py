"""Signing webhook bodies the way Saleor does, for the demo, the tests and the benchmark.

Production never signs anything: Saleor does. The demo installation has its own key pair so
that it can post webhooks to itself, and tests sign with freshly generated keys.

    signer = DetachedSigner.generate()
    headers = signer.headers("order_fully_paid", body, api_url)
    jwks = signer.jwks()
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    """The public key as a JWK, with its RFC 7638 thumbprint as `kid` (as Saleor does)."""
    numbers = public_key.public_numbers()
    members = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
    thumbprint = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest()
    kid = base64.urlsafe_b64encode(thumbprint).rstrip(b"=").decode()
    return {**members, "use": "sig", "alg": "RS256", "kid": kid}


@dataclass
class DetachedSigner:
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls, key_size: int = 2048) -> DetachedSigner:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=key_size))

    @classmethod
    def from_pem(cls, pem: bytes) -> DetachedSigner:
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("not an RSA private key")
        return cls(key)

    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    @property
    def jwk(self) -> dict[str, str]:
        return public_jwk(self.private_key.public_key())

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk]}

    def sign(self, body: bytes, *, kid: str | None = None) -> str:
        """`b64url(header)..b64url(signature)` over `b64url(header) + "." + body` (RFC 7797)."""
        return jwt.api_jws.encode(
            body,
            self.private_key,
            algorithm="RS256",
            headers={"kid": kid or self.kid, "b64": False, "crit": ["b64"], "typ": "JWT"},
            is_payload_detached=True,
        )

    def headers(self, event: str, body: bytes, saleor_api_url: str, *, domain: str | None = None) -> dict[str, str]:
        """The HTTP headers Saleor sends with a webhook delivery of `event`."""
        return {
            "Content-Type": "application/json",
            "Saleor-Event": event,
            "Saleor-Domain": domain or saleor_api_url.split("/")[2],
            "Saleor-Api-Url": saleor_api_url,
            "Saleor-Signature": self.sign(body),
        }
