"""Content-Security-Policy of the app's own pages: the dashboard extension and GraphiQL.

Only HTML documents carry a policy (the API answers JSON, assets are files). Both pages load
scripts and styles from the app only (`'self'`: the Vite build and the GraphiQL files it
vendors under `/dashboard/vendor/`, see dashboard-extension/vite.config.ts); an inline
script needs the response's nonce. Styles allow `'unsafe-inline'` because macaw-ui and
GraphiQL set style attributes; fonts and images may be `data:` (GraphiQL inlines its fonts).

`frame-ancestors` is what lets the Saleor Dashboard show the extension in its iframe and no
other site: the caller passes the origins allowed for the page (see
`saleor_mlm.installations.origins.dashboard_origins`). GraphiQL is framed by nobody.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

# A CSP source expression we accept from settings or the database: a scheme, a host name
# or IPv4 address (a leading `*.` allowed), a port or `:*`, and nothing that could end the
# directive. CSP has no syntax for IPv6 literals.
_SOURCE = re.compile(r"^(https?)://(\*\.)?[A-Za-z0-9.\-]+(:(\d+|\*))?$")

BASE_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:", "blob:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}


def is_source(value: str) -> bool:
    """Whether `value` is an origin usable as a CSP source (`https://shop.example.com`,
    `http://127.0.0.1:*`); anything else (spaces, `;`, paths, quotes) is refused."""
    return bool(_SOURCE.match(value or ""))


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def content_security_policy(
    *,
    frame_ancestors: Iterable[str],
    connect_src: Iterable[str] = (),
    script_nonce: str | None = None,
) -> str:
    """The header value: the base directives plus where the page may connect and who may
    frame it. `frame_ancestors` empty means nobody (`'none'`)."""
    directives = {name: list(values) for name, values in BASE_DIRECTIVES.items()}
    directives["connect-src"] += [source for source in connect_src if is_source(source)]
    if script_nonce:
        directives["script-src"].append(f"'nonce-{script_nonce}'")
    ancestors = [source for source in frame_ancestors if source == "'self'" or is_source(source)]
    directives["frame-ancestors"] = list(dict.fromkeys(ancestors)) or ["'none'"]
    return "; ".join(f"{name} {' '.join(dict.fromkeys(values))}" for name, values in directives.items())
