"""Every mount of the dashboard extension answers at the exact URL the Saleor Dashboard
loads in its iframe: 200 with the page, never a redirect, and a referrer policy under which
@saleor/app-sdk gets the Dashboard's origin from `document.referrer`.

How the Dashboard builds the iframe URL (saleor/saleor-dashboard, src/extensions/urls.ts,
`resolveAppIframeUrl`: `urlJoin(appUrl, window.location.search, "?domain=…&saleorApiUrl=…
&id=…&theme=…")`; url-join drops the slash before "?"):

- APP_PAGE (Customers → Network) and the app's page under Extensions: the path "/" inside
  `appUrl` <APP_URL>/dashboard/ gives `<APP_URL>/dashboard?domain=…` (no slash).
- WIDGETs: the manifest's absolute URL plus the query, `<APP_URL>/dashboard/widgets/customer?…`.

A redirect (Django's APPEND_SLASH answered 301 for `/dashboard?…`) empties the referrer and
app-sdk never gets its token (issue 12).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest

from saleor_mlm.installations.manifest import build_manifest

BASE = "http://testserver"


def dashboard_query(installation, **mount) -> str:
    """The query the Dashboard appends (`domain`, `saleorApiUrl`, `id`, `theme`, + the mount's)."""
    api = installation.saleor_api_url
    return urlencode({"domain": urlsplit(api).netloc, "saleorApiUrl": api, "id": installation.app_id, "theme": "light", **mount})


def mount_paths() -> dict[str, str]:
    """The iframe paths of every extension of the manifest, as the Dashboard joins them."""
    manifest = build_manifest(BASE)
    app_url = manifest["appUrl"]
    paths = {}
    for extension in manifest["extensions"]:
        if extension["target"] == "APP_PAGE":
            # urlJoin(appUrl, "/") then "?…": the trailing slash goes.
            assert extension["url"] == "/"
            paths[extension["mount"]] = urlsplit(app_url).path.rstrip("/")
        else:
            paths[extension["mount"]] = urlsplit(extension["url"]).path
    return paths


def test_the_manifest_mounts_are_the_ones_tested():
    assert mount_paths() == {
        "NAVIGATION_CUSTOMERS": "/dashboard",
        "CUSTOMER_DETAILS_WIDGETS": "/dashboard/widgets/customer",
        "ORDER_DETAILS_WIDGETS": "/dashboard/widgets/order",
    }


MOUNT_PARAMS = {
    "NAVIGATION_CUSTOMERS": {},
    "CUSTOMER_DETAILS_WIDGETS": {"customerId": "VXNlcjox"},
    "ORDER_DETAILS_WIDGETS": {"orderId": "T3JkZXI6MQ=="},
}


@pytest.mark.django_db
@pytest.mark.parametrize("mount", sorted(MOUNT_PARAMS))
@pytest.mark.parametrize("slash", ["", "/"], ids=["as-the-dashboard-builds-it", "with-trailing-slash"])
def test_every_mount_answers_the_page_without_a_redirect(client, dist, installation, mount, slash):
    path = mount_paths()[mount] + slash

    response = client.get(f"{path}?{dashboard_query(installation, **MOUNT_PARAMS[mount])}")

    assert response.status_code == 200, (path, response.status_code, response.get("Location"))
    assert "Location" not in response
    assert b'<div id="root">' in response.content
    # app-sdk reads the Dashboard's origin from document.referrer; `same-origin` (Django's
    # default) would hide it from a cross-origin frame after any redirect.
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "X-Frame-Options" not in response


@pytest.mark.django_db
def test_the_app_page_without_a_query_is_served_too(client, dist):
    response = client.get("/dashboard")

    assert (response.status_code, response.get("Location")) == (200, None)
