"""POST /api/stripe/webhooks/<installation id>: Stripe's events. The work is in stripe_webhooks."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from saleor_mlm.core.http import read_body
from saleor_mlm.installations.models import Installation

from .stripe_webhooks import receive_stripe_event


# Stripe is not a browser: no CSRF token; its signature authenticates the event. Not one
# transaction (no ATOMIC_REQUESTS): the stored event must be committed before it is
# verified and processed, so that a failure leaves it stored.
@csrf_exempt
@require_POST
def stripe_webhook(request, installation_id: int):
    if not Installation.objects.filter(pk=installation_id).exists():
        return JsonResponse({"message": "unknown installation"}, status=404)
    body = read_body(request, settings.WEBHOOK_MAX_BODY_BYTES)
    if body is None:
        message = gettext("the body is larger than %(limit)d bytes") % {"limit": settings.WEBHOOK_MAX_BODY_BYTES}
        return JsonResponse({"message": message}, status=413)
    outcome = receive_stripe_event(installation_id, body, request.headers.get("Stripe-Signature", ""))
    return JsonResponse(outcome.as_json(), status=outcome.http_status)
