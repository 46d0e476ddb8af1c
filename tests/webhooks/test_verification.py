"""verify_detached: RS256, detached, RFC 7797 (b64=false) over the exact bytes."""

from __future__ import annotations

import base64
import json

import pytest

from saleor_mlm.saleor.signing import DetachedSigner
from saleor_mlm.webhooks.verification import (
    BadSignatureError,
    MalformedSignatureError,
    MissingSignatureError,
    UnknownKeyError,
    verify_detached,
)

BODY = b'{"order": {"id": "T3JkZXI6MQ==", "total": 49.88}}'


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_the_signing_input_is_the_header_and_the_raw_bytes(rsa_signers):
    signer = rsa_signers[0]
    signature = signer.sign(BODY)
    header_b64, empty, _ = signature.split(".")

    assert empty == ""
    assert json.loads(base64.urlsafe_b64decode(header_b64 + "==")) == {
        "alg": "RS256",
        "b64": False,
        "crit": ["b64"],
        "kid": signer.kid,
        "typ": "JWT",
    }
    assert verify_detached(signature, BODY, signer.jwks())["kid"] == signer.kid
    # The same bytes re-serialized are not the same bytes.
    reserialized = json.dumps(json.loads(BODY), separators=(",", ":")).encode()
    with pytest.raises(BadSignatureError):
        verify_detached(signature, reserialized, signer.jwks())


def test_every_single_byte_matters(rsa_signers):
    signer = rsa_signers[0]
    signature = signer.sign(BODY)

    for index in range(0, len(BODY), 7):
        changed = BODY[:index] + bytes([BODY[index] ^ 1]) + BODY[index + 1 :]
        with pytest.raises(BadSignatureError):
            verify_detached(signature, changed, signer.jwks())


def test_an_attached_payload_form_is_refused(rsa_signers):
    signer = rsa_signers[0]
    header, _, sig = signer.sign(BODY).split(".")

    with pytest.raises(MalformedSignatureError):
        verify_detached(f"{header}.{b64url(BODY)}.{sig}", BODY, signer.jwks())


def test_unknown_kid_is_reported_for_a_refetch(rsa_signers):
    signature = rsa_signers[1].sign(BODY)

    with pytest.raises(UnknownKeyError) as error:
        verify_detached(signature, BODY, rsa_signers[0].jwks())

    assert error.value.kid == rsa_signers[1].kid


def test_the_key_is_chosen_by_kid_among_several(rsa_signers):
    jwks = {"keys": [rsa_signers[0].jwk, rsa_signers[1].jwk]}

    assert verify_detached(rsa_signers[1].sign(BODY), BODY, jwks)["kid"] == rsa_signers[1].kid


def test_without_kid_only_a_single_key_is_tried(rsa_signers):
    signer = rsa_signers[0]
    import jwt

    signature = jwt.api_jws.encode(
        BODY, signer.private_key, algorithm="RS256", headers={"b64": False, "crit": ["b64"]}, is_payload_detached=True
    )

    assert verify_detached(signature, BODY, signer.jwks())
    with pytest.raises(UnknownKeyError):
        verify_detached(signature, BODY, {"keys": [signer.jwk, rsa_signers[1].jwk]})


@pytest.mark.parametrize(
    "signature, error",
    [
        ("", MissingSignatureError),
        ("nonsense", MalformedSignatureError),
        ("a..b", MalformedSignatureError),
        (b64url(b'{"alg":"none"}') + "..c2ln", MalformedSignatureError),
        (b64url(b'{"alg":"HS256","kid":"k"}') + "..c2ln", MalformedSignatureError),
    ],
)
def test_malformed_signatures(signature, error, rsa_signers):
    with pytest.raises(error):
        verify_detached(signature, BODY, rsa_signers[0].jwks())


def test_a_signature_from_a_forger_with_the_right_kid_fails(rsa_signers):
    saleor, forger = rsa_signers[0], DetachedSigner(rsa_signers[2].private_key)

    with pytest.raises(BadSignatureError):
        verify_detached(forger.sign(BODY, kid=saleor.kid), BODY, saleor.jwks())
