"""A partner's access token in the demo, where no Saleor issues one.

On a shop the office signs a partner in with Saleor's `tokenCreate` and sends the access token
to the app's GraphQL API, which verifies it against the installation's JWKS and finds the
partner by the token's `user_id` (`me.partner`). The demo has no Saleor: its fake Saleor (the
demo installation, `installations/demo.py`) signs a token shaped exactly like Saleor's
storefront access token with its key, for a partner of the demo with a Saleor user id. The
API verifies it like any other; nothing in it knows about the demo.

Only in the demo server with its demo installation (`installations.demo.demo_installation`);
everywhere else the endpoint answers 404.
"""

from __future__ import annotations

import time

from django.db.models import Count

from saleor_mlm.installations.demo import sign_demo_token
from saleor_mlm.installations.models import Installation
from saleor_mlm.network.models import Partner

TOKEN_LIFETIME = 300  # seconds, like a Saleor access token


def demo_partner(installation: Installation, *, email: str = "", partner_id: int | None = None) -> Partner | None:
    """The demo partner who signs in, by e-mail or id; only partners with a Saleor user id
    (a shop account) can."""
    partners = Partner.objects.filter(installation=installation).exclude(saleor_user_id="")
    if partner_id is not None:
        return partners.filter(pk=partner_id).first()
    if email.strip():
        return partners.filter(email__iexact=email.strip()).order_by("pk").first()
    return None


def access_claims(installation: Installation, saleor_user_id: str, email: str, issued: int) -> dict:
    """The claims of a Saleor storefront access token of a shop account (as Saleor signs them);
    the demo's sign-in and its stand-in Saleor (demo_saleor.py) sign these."""
    return {
        "iat": issued,
        "exp": issued + TOKEN_LIFETIME,
        "iss": installation.saleor_api_url,
        "owner": "saleor",
        "type": "access",
        "user_id": saleor_user_id,
        "email": email,
        "is_staff": False,
    }


def issue_partner_token(installation: Installation, partner: Partner, *, now: float | None = None) -> dict:
    """A storefront access token of `partner`'s shop account, signed by the demo's Saleor."""
    claims = access_claims(installation, partner.saleor_user_id, partner.email, int(now if now is not None else time.time()))
    return {"token": sign_demo_token(claims), "saleorApiUrl": installation.saleor_api_url, "expiresAt": claims["exp"], "email": partner.email}


def demo_partners_to_try(installation: Installation, count: int = 5) -> list[dict]:
    """A few partners the demo's sign-in page offers: those with the largest first level."""
    partners = (
        Partner.objects.filter(installation=installation)
        .exclude(saleor_user_id="")
        .annotate(first_level=Count("frontline"))
        .order_by("-first_level", "pk")[:count]
    )
    return [{"email": partner.email, "name": partner.display_name} for partner in partners]
