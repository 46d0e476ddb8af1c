"""GraphiQL on `GET /graphql/` from a browser, with files the app serves itself.

The files are the prebuilt GraphiQL, React and React DOM of the npm packages, copied into
the dashboard extension's build by its Vite step (`vendor/graphiql.json` lists them, see
dashboard-extension/vite.config.ts) and served under `/dashboard/vendor/`. No CDN: the page's
CSP allows scripts from the app only, plus its one inline script by nonce. Nobody may frame
it. Without a build the page says how to make one; the API itself works either way.

A page of the dashboard's build, so it lives here, above the API: the root URLs hand it to
the API's view (`GraphQLView.as_view(graphiql=graphiql_page)`).
"""

from __future__ import annotations

import json

from django.shortcuts import render
from django.urls import reverse

from saleor_mlm.core.csp import content_security_policy, new_nonce

from .build import dist_dir

VENDOR_LIST = "vendor/graphiql.json"


def _vendored_files() -> dict[str, list[str]] | None:
    try:
        listed = json.loads((dist_dir() / VENDOR_LIST).read_text())
    except (OSError, ValueError):
        return None
    base = reverse("dashboard-app-page") + "/"
    return {kind: [base + name for name in listed.get(kind, [])] for kind in ("scripts", "styles")}


def graphiql_page(request):
    nonce = new_nonce()
    files = _vendored_files()
    response = render(
        request,
        "mlm_dashboard/graphiql.html",
        {"endpoint": request.path, "files": files, "nonce": nonce, "dist": str(dist_dir())},
        status=200 if files else 503,
    )
    response["Content-Security-Policy"] = content_security_policy(frame_ancestors=[], script_nonce=nonce)
    response["Cache-Control"] = "no-store"
    return response
