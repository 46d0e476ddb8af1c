"""GET /api/manifest and POST /api/register: the install handshake with Saleor; GET
/api/logo.png: the manifest's brand logo."""

import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .actions import InstallError, InvalidRegistration, install
from .manifest import build_manifest


def _error(message: str, status: int) -> JsonResponse:
    # Saleor shows `error.message` of a failed token POST to the merchant.
    return JsonResponse({"error": {"message": message}}, status=status)


@require_GET
def manifest(request):
    base_url = settings.APP_URL or request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(build_manifest(base_url, request.headers.get("Saleor-Schema-Version")))


# A square PNG of 512 pixels: Saleor takes `image/png` of at least 256 (manifest.py).
LOGO = Path(__file__).resolve().parent / "static" / "saleor_mlm" / "logo.png"


@require_GET
def logo(request):
    response = HttpResponse(LOGO.read_bytes(), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# Saleor posts the token server to server: there is no browser session and no CSRF token.
@csrf_exempt
@require_POST
def register(request):
    api_url = request.headers.get("Saleor-Api-Url", "")
    if not api_url:
        return _error("the Saleor-Api-Url header is missing", 400)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _error("the body is not JSON", 400)
    try:
        if not isinstance(body, dict):
            raise InvalidRegistration("the body is not a JSON object")
        install(api_url, body.get("auth_token"), saleor_domain=request.headers.get("Saleor-Domain", ""))
    except InstallError as exc:
        return _error(exc.message, exc.http_status)
    return JsonResponse({"success": True})
