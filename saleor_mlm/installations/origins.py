"""Which Saleor Dashboards may show the app's pages, by origin.

The Dashboard opens every mount of the extension with `?saleorApiUrl=<its API URL>` (see
docs/dashboard.md, "Mount URLs"). When that URL is a Saleor that installed the app, the
origin of its API may frame the page: a Dashboard served by Saleor itself (Saleor Cloud:
`https://shop.saleor.cloud/dashboard/`) has that origin. A Dashboard served elsewhere is
named in `SALEOR_DASHBOARD_ORIGINS`. The parameter only picks among installations: a site
that is not one of them cannot make the app allow itself.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from .models import Installation, normalize_api_url


def origin_of(url: str) -> str:
    """`https://shop.example.com:8443` of `https://shop.example.com:8443/graphql/`."""
    normalized = normalize_api_url(url)
    if not normalized:
        return ""
    parts = urlsplit(normalized)
    return f"{parts.scheme}://{parts.netloc}"


def installation_origin(saleor_api_url: str | None) -> str | None:
    """The origin of the installation with this API URL; None for a Saleor we do not know."""
    if not saleor_api_url:
        return None
    api_url = Installation.objects.for_api_url(saleor_api_url).values_list("saleor_api_url", flat=True).first()
    return origin_of(api_url) if api_url else None


def dashboard_origins(installation: str | None) -> list[str]:
    """CSP `frame-ancestors` of a dashboard page opened for the installation of origin
    `installation` (`installation_origin`), or for none."""
    origins = ["'self'"]
    if installation:
        origins.append(installation)
    origins.extend(settings.SALEOR_DASHBOARD_ORIGINS)
    return origins
