"""Serve the built dashboard extension, and the demo's token.

Every path under `/dashboard/` that is not a file of the build answers `index.html`: the
extension routes in the browser (pages, the widgets at `widgets/customer` and
`widgets/order`). `/dashboard` itself too, without a redirect: the Dashboard opens the app
page there (url-join drops the slash of `appUrl`), and a redirect would lose the referrer
app-sdk needs (docs/dashboard.md, "Mount URLs"). Hashed assets are cached for a year;
`index.html` never, so a new build is picked up at once. Without a build the answer is a
503 page that says how to make one.
"""

from __future__ import annotations

import json

from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from saleor_mlm.core.builds import serve_build
from saleor_mlm.core.csp import content_security_policy
from saleor_mlm.installations.origins import dashboard_origins, installation_origin

from .build import dist_dir
from .demo import DEFAULT_DEMO_USER, DEMO_USERS, demo_installation, issue_demo_token

MISSING = {
    "title": "dashboard extension",
    "source": "dashboard-extension",
    "variable": "SALEOR_MLM_DASHBOARD_DIR",
    "docs": "docs/dashboard.md",
}


@require_http_methods(["GET", "HEAD"])
def extension(request, subpath: str = ""):
    return serve_build(
        request, dist_dir(), subpath, missing=MISSING, page_headers=lambda response: _framed_by_dashboard(request, response)
    )


def _framed_by_dashboard(request, response):
    """The page's CSP: the Saleor it is opened for (`?saleorApiUrl=`, an installation) may
    frame it and is the only other origin it talks to (the customer widget asks Saleor for
    a user's e-mail); see saleor_mlm/core/csp.py. No X-Frame-Options: it would forbid the
    Dashboard's iframe."""
    saleor = installation_origin(request.GET.get("saleorApiUrl"))
    response["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=dashboard_origins(saleor), connect_src=[saleor] if saleor else []
    )
    return response


@never_cache
@require_http_methods(["POST"])
def demo_token(request):
    """A demo user's Dashboard token (only in the demo server; see demo.py). The body may
    name the user, `{"user": "approver"}`; without it, the demo merchant."""
    installation = demo_installation()
    if installation is None:
        raise Http404("Demo tokens exist only in the demo (saleor-mlm demo).")
    if request.content_type == "application/json":
        try:
            asked = json.loads(request.body or b"{}").get("user")
        except (ValueError, AttributeError):
            return JsonResponse({"error": {"message": 'Send {"user": "<key>"} or no body.'}}, status=400)
    else:
        asked = request.POST.get("user")
    asked = asked or DEFAULT_DEMO_USER.key
    user = DEMO_USERS.get(asked)
    if user is None:
        return JsonResponse({"error": {"message": f"No demo user {asked!r}; there are {', '.join(DEMO_USERS)}."}}, status=400)
    return JsonResponse(issue_demo_token(installation, user))
