"""The demo installation: a fake Saleor the app believes in, with its own signing key.

`saleor-mlm demo` runs without a Saleor. It creates one installation for the fake API URL
below, with a key pair generated once and kept in the data directory (`./var`), so that the
demo (and demo data loaders) can sign webhooks exactly as Saleor would and post them to the
app, which verifies them like any other delivery:

    from saleor_mlm.installations.demo import demo_webhook_headers
    headers = demo_webhook_headers("order_fully_paid", body)

The demo installation never calls Saleor: its JWKS is never refetched (`is_demo`).
"""

from __future__ import annotations

import os
from pathlib import Path

import jwt
from django.conf import settings
from django.utils import timezone

from saleor_mlm.core import startup
from saleor_mlm.saleor.signing import DetachedSigner

from .models import Installation

DEMO_API_URL = "https://demo.saleor-mlm.local/graphql/"
DEMO_DOMAIN = "demo.saleor-mlm.local"
DEMO_APP_ID = "QXBwOmRlbW8="  # base64("App:demo"), shaped like a Saleor global id
DEMO_AUTH_TOKEN = "demo-app-token-not-a-real-saleor-token"
KEY_FILE_NAME = "demo-signing-key.pem"


def demo_key_path(data_dir: Path | None = None) -> Path:
    return Path(data_dir or settings.DATA_DIR) / KEY_FILE_NAME


def demo_signer(data_dir: Path | None = None):
    """The demo's signing key, generated on first use and kept (mode 0600) in the data dir."""
    path = demo_key_path(data_dir)
    if path.exists():
        return DetachedSigner.from_pem(path.read_bytes())
    signer = DetachedSigner.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written with O_EXCL: two processes starting at once keep the first key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return DetachedSigner.from_pem(path.read_bytes())
    with os.fdopen(fd, "wb") as handle:
        handle.write(signer.private_pem())
    return signer


def ensure_demo_installation(data_dir: Path | None = None) -> tuple[Installation, bool]:
    """Get or create the demo installation; keep its JWKS in step with the key file."""
    jwks = demo_signer(data_dir).jwks()
    installation, created = Installation.objects.get_or_create(
        saleor_api_url=DEMO_API_URL,
        defaults={
            "saleor_domain": DEMO_DOMAIN,
            "app_id": DEMO_APP_ID,
            "encrypted_auth_token": "",
            "jwks": jwks,
            "jwks_fetched_at": timezone.now(),
            "is_demo": True,
        },
    )
    if created or not installation.encrypted_auth_token:
        installation.auth_token = DEMO_AUTH_TOKEN
        installation.save(update_fields=["encrypted_auth_token", "updated_at"])
    if installation.jwks != jwks or not installation.is_demo:
        # The key file was replaced (./var wiped but the database kept): trust the new key.
        installation.jwks, installation.is_demo = jwks, True
        installation.save(update_fields=["jwks", "is_demo", "updated_at"])
    return installation, created


def demo_webhook_headers(event: str, body: bytes, data_dir: Path | None = None) -> dict[str, str]:
    """Headers of a delivery of `event` signed by the demo's fake Saleor."""
    return demo_signer(data_dir).headers(event, body, DEMO_API_URL, domain=DEMO_DOMAIN)


def demo_installation() -> Installation | None:
    """The demo installation when this process is the demo server (`SALEOR_MLM_DEMO=1`) and
    its key is ours; None everywhere else, so a production deployment issues no demo token."""
    if not startup.demo_enabled(os.environ):
        return None
    installation = Installation.objects.for_api_url(DEMO_API_URL).filter(is_demo=True).first()
    if installation is None or not demo_key_path().exists():
        return None
    return installation


def sign_demo_token(claims: dict) -> str:
    """A JWT signed with the demo's key, as the demo's fake Saleor would sign it."""
    signer = demo_signer()
    return jwt.encode(claims, signer.private_key, algorithm="RS256", headers={"kid": signer.kid})
