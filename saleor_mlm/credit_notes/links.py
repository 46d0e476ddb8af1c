"""Signed, short-lived download links: the link names a document (or a period's ZIP) and
carries a signature with its time; it works for `CREDIT_NOTE_LINK_SECONDS` (5 minutes by
default). Whoever may see the document gets a link from the API; the link is the only
credential the download view asks for, so it is never logged or kept."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "saleor_mlm.credit_notes.download"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def note_link(note_id: int) -> str:
    return reverse("credit-note-download", args=[_signer().sign(f"note:{note_id}")])


def period_zip_link(installation_id: int, period_id: int) -> str:
    return reverse("credit-note-download", args=[_signer().sign(f"zip:{installation_id}:{period_id}")])


def unsign(token: str) -> tuple[str, list[int]]:
    """("note", [id]) or ("zip", [installation id, period id]); `signing.BadSignature`
    (or its `SignatureExpired`) for a forged or old link."""
    value = _signer().unsign(token, max_age=settings.CREDIT_NOTE_LINK_SECONDS)
    kind, *ids = value.split(":")
    return kind, [int(i) for i in ids]
