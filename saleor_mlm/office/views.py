"""Serve the built office, tell it which Saleor it signs in to, and the demo's partner tokens.

`/office/` and every path below it that is not a file of the build answer its `index.html`
(the office routes in the browser: `/office/team`, `/office/join/<code>` ...), see
saleor_mlm/core/builds.py.

`config.json` names the Saleor whose shop accounts sign in: the installation named by
`?saleorApiUrl=` (a shop with several installations links the office with it), else the
demo's, else the only installation. The page's CSP lets it talk to that Saleor and nothing
else (`tokenCreate`, `tokenRefresh`).
"""

from __future__ import annotations

import json

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from graphql_relay import from_global_id

from saleor_mlm.core.builds import serve_build
from saleor_mlm.core.csp import content_security_policy
from saleor_mlm.installations.demo import demo_installation
from saleor_mlm.installations.models import Installation
from saleor_mlm.installations.origins import origin_of
from saleor_mlm.network.models import Partner

from .build import dist_dir
from .demo import demo_partner, demo_partners_to_try, issue_partner_token
from .demo_saleor import execute as answer_as_saleor

MISSING = {"title": "partner office", "source": "office", "variable": "SALEOR_MLM_OFFICE_DIR", "docs": "docs/office.md"}


def office_installation(request) -> Installation | None:
    """The installation whose partners the office serves for this request (see above)."""
    asked = request.GET.get("saleorApiUrl")
    if asked:
        return Installation.objects.for_api_url(asked).first()
    demo = demo_installation()
    if demo is not None:
        return demo
    candidates = list(Installation.objects.order_by("pk")[:2])
    return candidates[0] if len(candidates) == 1 else None


@require_http_methods(["GET", "HEAD"])
def office(request, subpath: str = ""):
    return serve_build(request, dist_dir(), subpath, missing=MISSING, page_headers=lambda response: _policy(request, response))


def _policy(request, response):
    """The office talks to the app and to its installation's Saleor (sign-in); framed by no
    other site (a shop links it)."""
    installation = office_installation(request)
    saleor = origin_of(installation.saleor_api_url) if installation and not installation.is_demo else None
    response["Content-Security-Policy"] = content_security_policy(frame_ancestors=["'self'"], connect_src=[saleor] if saleor else [])
    return response


@never_cache
@require_http_methods(["GET"])
def config(request):
    """What the office needs before sign-in: the Saleor to sign in to, and in the demo a few
    partners to try."""
    installation = office_installation(request)
    demo = installation is not None and installation.is_demo and demo_installation() is not None
    return JsonResponse(
        {
            "saleorApiUrl": installation.saleor_api_url if installation else None,
            # Where the registration page creates and signs in shop accounts: the shop's Saleor,
            # in the demo its stand-in (demo_saleor.py).
            "accountsUrl": reverse("office-demo-saleor") if demo else (installation.saleor_api_url if installation else None),
            "demo": demo,
            "demoPartners": demo_partners_to_try(installation) if demo else [],
        }
    )


@never_cache
@require_http_methods(["POST"])
def demo_token(request):
    """A demo partner's access token (only in the demo server; see demo.py). The body names
    the partner: `{"email": "..."}` or `{"partnerId": "<Partner global id>"}`."""
    installation = demo_installation()
    if installation is None:
        raise Http404("Demo tokens exist only in the demo (saleor-mlm demo).")
    asked = _json_object(request)
    if asked is None:
        return JsonResponse({"error": {"code": "BAD_REQUEST", "message": 'Send {"email": "..."} or {"partnerId": "..."}.'}}, status=400)
    partner_id = _partner_pk(asked.get("partnerId"))
    partner = demo_partner(installation, email=str(asked.get("email") or ""), partner_id=partner_id)
    if partner is None:
        return JsonResponse({"error": {"code": "UNKNOWN_PARTNER", "message": "No demo partner with a shop account has this e-mail."}}, status=404)
    return JsonResponse(issue_partner_token(installation, partner))


@never_cache
@require_http_methods(["POST"])
def demo_saleor(request):
    """The demo's stand-in for Saleor's account mutations (demo_saleor.py); 404 outside the demo."""
    installation = demo_installation()
    if installation is None:
        raise Http404("The stand-in Saleor exists only in the demo (saleor-mlm demo).")
    body = _json_object(request)
    if body is None:
        return JsonResponse({"errors": [{"message": "Send a JSON body {query, variables}."}]}, status=400)
    bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return JsonResponse(answer_as_saleor(installation, body, bearer=bearer))


def _json_object(request) -> dict | None:
    """The request's body as a JSON object (an empty body is `{}`); None when it is not one."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _partner_pk(global_id) -> int | None:
    """The primary key in a `Partner:<pk>` global id; None for anything else."""
    if not global_id:
        return None
    try:
        kind, pk = from_global_id(str(global_id))
    except Exception:  # any malformed id is simply no partner
        return None
    return int(pk) if kind == Partner.__name__ and pk.isdigit() else None
