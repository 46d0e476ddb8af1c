"""The per-request context every resolver gets as `info.context`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from ..auth import ANONYMOUS, Requestor
from .i18n import DEFAULT_LANGUAGE, language_from_request


@dataclass
class MlmContext:
    requestor: Requestor = ANONYMOUS
    language: str = DEFAULT_LANGUAGE  # from Accept-Language; a `languageCode` argument wins
    client_ip: str = ""
    request: Any = None  # the Django request, when there is one
    # Dataloaders of this request, by class (see core/dataloaders.py).
    loaders: dict = field(default_factory=dict)

    @property
    def installation(self):
        return self.requestor.installation


def client_ip_of(request) -> str:
    """The client's IP: REMOTE_ADDR, or the address the trusted proxies saw.

    Behind N reverse proxies set `GRAPHQL_TRUSTED_PROXY_COUNT = N`; the N-th address
    from the right of X-Forwarded-For is then the client's (anything further left can
    be forged by the client).
    """
    proxies = int(getattr(settings, "GRAPHQL_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def context_for_request(request, requestor: Requestor) -> MlmContext:
    return MlmContext(
        requestor=requestor,
        language=language_from_request(request),
        client_ip=client_ip_of(request),
        request=request,
    )
