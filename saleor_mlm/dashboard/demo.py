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

The demo has two people (`DEMO_USERS`), because some steps need two: a period is approved
by someone other than the person who closed it (four eyes, `periods.actions.approve_period`).
The page asks for the token of the one it acts as and lets the visitor switch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from saleor_mlm.installations.demo import demo_installation, sign_demo_token
from saleor_mlm.installations.models import Installation

__all__ = ["DEFAULT_DEMO_USER", "DEMO_USERS", "demo_installation", "issue_demo_token"]

TOKEN_LIFETIME = 300  # seconds, like a Saleor Dashboard token


@dataclass(frozen=True)
class DemoUser:
    key: str  # what the page asks for (`{"user": "approver"}`)
    name: str
    email: str  # what audit fields record (`closed_by`, `approved_by`)
    user_id: str  # shaped like a Saleor global id: base64("User:<name>")


DEMO_USERS = {
    user.key: user
    for user in (
        # The merchant the demo opens as: closes periods, edits plans, assigns Betreuer.
        DemoUser("merchant", "Demo merchant", "demo@saleor-mlm.local", "VXNlcjpkZW1v"),
        # A second person of the same shop: approves what the merchant closed. The demo
        # data's months are approved by this e-mail too (periods.demo.DEMO_APPROVER).
        DemoUser("approver", "Demo approver", "demo-approver@saleor-mlm.local", "VXNlcjpkZW1vLWFwcHJvdmVy"),
    )
}
DEFAULT_DEMO_USER = DEMO_USERS["merchant"]
# The permissions the manifest asks for: both demo users may do everything.
DEMO_PERMISSIONS = ("MANAGE_USERS", "MANAGE_ORDERS", "MANAGE_DISCOUNTS")


def issue_demo_token(installation: Installation, user: DemoUser = DEFAULT_DEMO_USER, *, now: float | None = None) -> dict:
    """A `thirdparty` token of a demo user for the demo installation, signed with its key."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iat": issued,
        "exp": issued + TOKEN_LIFETIME,
        "iss": installation.saleor_api_url,
        "owner": "saleor",
        "type": "thirdparty",
        "app": installation.app_id,
        "user_id": user.user_id,
        "email": user.email,
        "is_staff": True,
        "permissions": list(DEMO_PERMISSIONS),
        "user_permissions": list(DEMO_PERMISSIONS),
    }
    token = sign_demo_token(claims)
    return {
        "token": token,
        "saleorApiUrl": installation.saleor_api_url,
        "appId": installation.app_id,
        "expiresAt": claims["exp"],
        "email": user.email,
        "user": {"key": user.key, "name": user.name, "email": user.email},
        "users": [{"key": other.key, "name": other.name, "email": other.email} for other in DEMO_USERS.values()],
        "permissions": list(DEMO_PERMISSIONS),
    }
