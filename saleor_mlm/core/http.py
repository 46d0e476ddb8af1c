"""Reading request bodies of webhooks (Saleor's and Stripe's) with a size cap."""

from __future__ import annotations

from django.http import HttpRequest


def read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit` bytes. A declared Content-Length
    above the limit is refused before a byte is read; otherwise at most `limit + 1` bytes
    are read (Django's `request.body` would read and keep all of it first)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return body if len(body) <= limit else None
