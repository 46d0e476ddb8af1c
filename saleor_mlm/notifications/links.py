"""The addresses a mail links to: the office's pages and the partner's unsubscribe link.

Links are absolute, on `APP_URL` (the app's public base URL; without it, the demo's
`http://127.0.0.1:8000`). The unsubscribe link names the partner and the kind, signed with
the app's key (`django.core.signing`): only the mail's recipient has it, and it works as
long as the key does (keys being rotated stay valid through `SECRET_KEY_FALLBACKS`), because
a mail is read long after it was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "saleor_mlm.notifications.unsubscribe"
DEMO_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    return settings.APP_URL or DEMO_BASE_URL


def office_url(page: str = "") -> str:
    return f"{base_url()}/office/{page}"


def unsubscribe_token(partner_id: int, kind: str) -> str:
    return signing.Signer(salt=SALT).sign(f"{partner_id}:{kind}")


def unsubscribe_url(partner_id: int, kind: str) -> str:
    return base_url() + reverse("notifications-unsubscribe", args=[unsubscribe_token(partner_id, kind)])


def unsign(token: str) -> tuple[int, str]:
    """(partner id, kind); `signing.BadSignature` for a forged or mangled token."""
    partner_id, _, kind = signing.Signer(salt=SALT).unsign(token).partition(":")
    if not partner_id.isdigit() or not kind:
        raise signing.BadSignature("not an unsubscribe token")
    return int(partner_id), kind
