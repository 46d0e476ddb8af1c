"""A Dashboard token for the demo, where no Saleor Dashboard hands one out.

Inside the Dashboard, app-sdk's AppBridge receives a `thirdparty` JWT from Saleor and the
extension sends it to `/graphql/`. The demo has no Saleor: its fake Saleor (the demo
installation, `installations/demo.py`) owns a signing key in the data directory whose public
JWK is the installation's JWKS. This module signs a token exactly shaped like Saleor's with
that key, so the GraphQL API verifies it like any Dashboard token (signature, `exp`, `iss`,
`type`, `app`): nothing in the API knows about the demo.

It is issued only when both hold:

- the process is the demo server (`saleor-mlm demo` sets `SALEOR_MLM_DEMO=1`), and
- the installation named by the demo's API URL exists and `is_demo` (its key is ours).

A production deployment never sets `SALEOR_MLM_DEMO` and has no demo installation, so the
endpoint answers 404 there.
"""

from __future__ import annotations

import os
import time

import jwt

from saleor_mlm.installations.demo import DEMO_API_URL, demo_key_path, demo_signer
from saleor_mlm.installations.models import Installation

TOKEN_LIFETIME = 300  # seconds, like a Saleor Dashboard token
DEMO_USER_EMAIL = "demo@saleor-mlm.local"
DEMO_USER_ID = "VXNlcjpkZW1v"  # base64("User:demo"), shaped like a Saleor global id
# The permissions the manifest asks for: the demo merchant may do everything.
DEMO_PERMISSIONS = ("MANAGE_USERS", "MANAGE_ORDERS", "MANAGE_DISCOUNTS")


def demo_enabled() -> bool:
    return os.environ.get("SALEOR_MLM_DEMO") == "1"


def demo_installation() -> Installation | None:
    if not demo_enabled():
        return None
    installation = Installation.objects.for_api_url(DEMO_API_URL).filter(is_demo=True).first()
    if installation is None or not demo_key_path().exists():
        return None
    return installation


def issue_demo_token(installation: Installation, *, now: float | None = None) -> dict:
    """A `thirdparty` token for the demo installation, signed with its key."""
    issued = int(now if now is not None else time.time())
    signer = demo_signer()
    claims = {
        "iat": issued,
        "exp": issued + TOKEN_LIFETIME,
        "iss": installation.saleor_api_url,
        "owner": "saleor",
        "type": "thirdparty",
        "app": installation.app_id,
        "user_id": DEMO_USER_ID,
        "email": DEMO_USER_EMAIL,
        "is_staff": True,
        "permissions": list(DEMO_PERMISSIONS),
        "user_permissions": list(DEMO_PERMISSIONS),
    }
    token = jwt.encode(claims, signer.private_key, algorithm="RS256", headers={"kid": signer.kid})
    return {
        "token": token,
        "saleorApiUrl": installation.saleor_api_url,
        "appId": installation.app_id,
        "expiresAt": claims["exp"],
        "email": DEMO_USER_EMAIL,
        "permissions": list(DEMO_PERMISSIONS),
    }
