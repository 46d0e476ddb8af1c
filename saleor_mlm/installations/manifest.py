"""The app manifest Saleor reads when a merchant installs the app.

Saleor fetches `GET /api/manifest`, validates it (`saleor/app/manifest_validations.py`),
creates the app with the permissions the merchant approves, then posts the app token to
`tokenTargetUrl`. Every URL here is absolute, built from `APP_URL` (or the manifest
request's own URL when `APP_URL` is unset).

Saleor version differences that matter here:

- WIDGET targets and the `*_DETAILS_WIDGETS` mounts exist from Saleor 3.22. Saleor 3.20 and
  3.21 refuse a manifest that names them, and refuse it whole. Saleor sends its schema
  version with the manifest request (`Saleor-Schema-Version: 3.21`), so the widgets are left
  out for older Saleors: the app installs everywhere and gains widgets after an upgrade and
  a reinstall.
- Mount and target names are upper case (3.20 to 3.22 compare them to upper-cased enums;
  later versions lower-case whatever they get).
- `brand.logo.default` exists from Saleor 3.14 (`saleor/app/validators.py::brand_validator`),
  so every supported Saleor takes it: no gate. Saleor checks that the URL ends in `.png`,
  then downloads it in a task (no redirects, `Content-Type: image/png` exactly, a square of
  at least 256 pixels, at most 10 MB) and keeps its own copy; a failed download leaves the
  app without a logo and does not fail the install. The app serves the logo itself
  (`/api/logo.png`, views.py), so it needs no static files set up.

Extension URLs, as the Dashboard resolves them:

- APP_PAGE: Saleor 3.20 requires a relative URL; the Dashboard treats it as a path inside the
  app and loads `urlJoin(appUrl, path)` in its iframe. With `appUrl` = `<APP_URL>/dashboard/`
  the Network page is therefore the path "/" (a path "/dashboard/" would load
  `/dashboard/dashboard/`). url-join drops the trailing slash before the query: the frame
  loads `<APP_URL>/dashboard?domain=…`, which the app serves as it is (saleor_mlm/urls.py).
- WIDGET: the Dashboard concatenates `appUrl + url` for a relative URL (giving
  `/dashboard//dashboard/...`), so widget URLs are absolute: `<APP_URL>/dashboard/widgets/...`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

import saleor_mlm
from saleor_mlm.saleor.events import EVENT_SPECS

REQUIRED_SALEOR_VERSION = ">=3.20"
PERMISSIONS = ["MANAGE_ORDERS", "MANAGE_USERS", "MANAGE_DISCOUNTS"]
# First Saleor schema version with WIDGET extensions.
WIDGETS_SINCE = (3, 22)


@dataclass(frozen=True)
class Extension:
    label: str
    path: str
    mount: str
    target: str
    permissions: tuple[str, ...]
    # Absolute URLs are `<APP_URL><path>`; relative ones are a path inside appUrl.
    absolute: bool = False
    widget: bool = False

    def as_manifest(self, base_url: str) -> dict:
        return {
            "label": self.label,
            "url": base_url + self.path if self.absolute else self.path,
            "mount": self.mount,
            "target": self.target,
            "permissions": list(self.permissions),
        }


EXTENSIONS = (
    # The app's main page, under Customers: "/" inside appUrl, i.e. <APP_URL>/dashboard/.
    Extension("Network", "/", "NAVIGATION_CUSTOMERS", "APP_PAGE", ("MANAGE_USERS",)),
    Extension(
        "Network",
        "/dashboard/widgets/customer",
        "CUSTOMER_DETAILS_WIDGETS",
        "WIDGET",
        ("MANAGE_USERS",),
        absolute=True,
        widget=True,
    ),
    Extension(
        "Volume and commissions",
        "/dashboard/widgets/order",
        "ORDER_DETAILS_WIDGETS",
        "WIDGET",
        ("MANAGE_ORDERS",),
        absolute=True,
        widget=True,
    ),
)


def parse_schema_version(value: str | None) -> tuple[int, int] | None:
    """`Saleor-Schema-Version` ("3.21") as (3, 21); None when absent or unreadable."""
    try:
        major, minor = (value or "").strip().split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return None


def build_manifest(base_url: str, saleor_schema_version: str | None = None) -> dict:
    """The manifest for an app served at `base_url` (no trailing slash)."""
    base_url = base_url.rstrip("/")
    version = parse_schema_version(saleor_schema_version)
    with_widgets = version is None or version >= WIDGETS_SINCE
    return {
        "id": settings.SALEOR_APP_IDENTIFIER,
        "name": "Saleor MLM",
        "version": saleor_mlm.__version__,
        "requiredSaleorVersion": REQUIRED_SALEOR_VERSION,
        "about": (
            "Network marketing for Saleor: partners and customers in a sponsor genealogy with "
            "Betreuer (care partner) splits, paid orders credited as volume, ranks and "
            "commissions computed exactly to the cent."
        ),
        "author": "saleor-mlm contributors",
        "homepageUrl": settings.SALEOR_APP_HOMEPAGE_URL,
        "supportUrl": settings.SALEOR_APP_SUPPORT_URL,
        "dataPrivacyUrl": settings.SALEOR_APP_DATA_PRIVACY_URL,
        "brand": {"logo": {"default": f"{base_url}/api/logo.png"}},
        "permissions": list(PERMISSIONS),
        "appUrl": f"{base_url}/dashboard/",
        "tokenTargetUrl": f"{base_url}/api/register",
        "webhooks": [
            {
                "name": f"saleor-mlm: {spec.label}",
                "targetUrl": f"{base_url}/api/webhooks/{spec.event}",
                "query": spec.subscription,
                "asyncEvents": [spec.async_event],
                "isActive": True,
            }
            for spec in EVENT_SPECS.values()
        ],
        "extensions": [
            extension.as_manifest(base_url) for extension in EXTENSIONS if with_widgets or not extension.widget
        ],
    }
